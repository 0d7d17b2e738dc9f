package dev.vireo.models.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads WebDataset shards ({@code .tar}, or gzipped {@code .tar.gz}/{@code .tgz}): members are
 * grouped by key (the path up to the first dot of the file name), and a sample is an image
 * ({@code key.jpg|jpeg|png}) with its caption from {@code key.txt} or the {@code caption}/{@code text}
 * field (a string or an array of strings) of {@code key.json}. Images of a plain tar are referenced
 * by byte range, not copied; those of a gzipped shard are held in memory.
 */
public final class WebDatasetReader {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");

    private WebDatasetReader() {}

    /** Every sample of every shard, shard by shard, in archive order; a truncated shard is an error. */
    public static List<ImageTextSample> read(List<Path> shards) throws IOException {
        return read(shards, null);
    }

    /**
     * Every sample of every shard; a shard cut short (a download or copy that stopped) gives the
     * complete samples before the cut, drops the one it cut, and reports both counts to
     * {@code warnings} in one line. With {@code warnings} null a truncated shard is an error.
     */
    public static List<ImageTextSample> read(List<Path> shards, Consumer<String> warnings) throws IOException {
        List<ImageTextSample> samples = new ArrayList<>();
        for (Path shard : shards) samples.addAll(readShard(shard, warnings));
        return samples;
    }

    /** The samples of one shard in archive order; a truncated shard is an error. */
    public static List<ImageTextSample> readShard(Path shard) throws IOException {
        return readShard(shard, null);
    }

    private static List<ImageTextSample> readShard(Path shard, Consumer<String> warnings) throws IOException {
        String lower = shard.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gzipped = lower.endsWith(".gz") || lower.endsWith(".tgz");
        Map<String, Parts> byKey = new LinkedHashMap<>();
        String cut = null;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(shard), 1 << 16);
             InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw) {
            readMembers(new TarReader(in, shard, gzipped ? -1 : Files.size(shard)), shard, gzipped, byKey);
        } catch (TruncatedArchiveException | EOFException e) {
            if (warnings == null) throw e;
            cut = e.getMessage();
        }
        List<ImageTextSample> samples = new ArrayList<>(byKey.size());
        int dropped = 0;
        for (Map.Entry<String, Parts> e : byKey.entrySet()) {
            String where = "sample " + e.getKey();
            Parts parts = e.getValue();
            List<String> captions = parts.text != null && !parts.text.isEmpty() ? List.of(parts.text) : parts.json;
            boolean complete = parts.image != null && captions != null && !captions.isEmpty();
            if (!complete && cut != null) {
                dropped++; // the sample the cut went through
                continue;
            }
            if (parts.image == null) throw new DatasetFormatException(shard, where, "no .jpg, .jpeg or .png member");
            if (captions == null || captions.isEmpty()) {
                throw new DatasetFormatException(shard, where, "no caption: expected a non-empty .txt member or a .json with 'caption' or 'text'");
            }
            samples.add(new ImageTextSample(e.getKey(), parts.image, captions, ""));
        }
        if (cut != null) {
            warnings.accept(shard + " is truncated (" + cut + "): kept the " + samples.size() + " samples before the cut, skipped "
                    + dropped + " it cut through");
        }
        return samples;
    }

    /** Reads the members of a shard into {@code byKey}, grouped by sample key. */
    private static void readMembers(TarReader tar, Path shard, boolean gzipped, Map<String, Parts> byKey) throws IOException {
        for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
            int slash = entry.name().lastIndexOf('/');
            int dot = entry.name().indexOf('.', slash + 1);
            if (dot < 0) continue;
            String key = entry.name().substring(0, dot);
            String extension = entry.name().substring(dot + 1).toLowerCase(Locale.ROOT);
            Parts parts = byKey.computeIfAbsent(key, k -> new Parts());
            String where = "member " + entry.name();
            if (IMAGE_EXTENSIONS.contains(extension)) {
                if (parts.image != null) throw new DatasetFormatException(shard, where, "sample " + key + " has two images");
                parts.image = gzipped
                        ? new ImageSource.EncodedBytes(shard + "!" + entry.name(), tar.readContent(entry))
                        : new ImageSource.FileSlice(shard, entry.dataOffset(), entry.size(), entry.name());
            } else if (extension.equals("txt")) {
                parts.text = utf8(tar.readContent(entry));
            } else if (extension.equals("json")) {
                parts.json = captionsOf(JsonFields.readTree(tar.readContent(entry), shard, where), shard, where);
            }
        }
    }

    private static List<String> captionsOf(JsonNode json, Path shard, String where) throws DatasetFormatException {
        JsonNode value = json.has("caption") ? json.get("caption") : json.get("text");
        if (value == null) return null;
        List<String> captions = new ArrayList<>();
        if (value.isTextual()) {
            captions.add(value.asText().strip());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) throw new DatasetFormatException(shard, where, "caption array holds a non-string " + item);
                captions.add(item.asText().strip());
            }
        } else {
            throw new DatasetFormatException(shard, where, "'caption' must be a string or an array of strings, got " + value);
        }
        captions.removeIf(String::isEmpty);
        return captions;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    /** The members of one sample seen so far. */
    private static final class Parts {
        ImageSource image;
        String text;
        List<String> json;
    }
}
