package dev.vireo.engine.io;

import dev.vireo.engine.io.json.JsonException;
import dev.vireo.engine.io.json.JsonReader;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file (spec: huggingface/safetensors). It
 * applies the reference implementation's checks: header at most 100 MB and inside the file, valid
 * UTF-8 JSON object starting with '{', known dtypes, {@code shape × dtype size == end - begin}
 * without overflow, and offsets that, sorted, tile the data section exactly (no gap, no overlap,
 * ending at the end of the file). Every failure is a {@link CheckpointFormatException}.
 */
public final class SafetensorsHeader {
    /** The reference implementation's limit on the JSON header. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private final Map<String, String> metadata;
    private final List<TensorEntry> entries;
    private final Map<String, TensorEntry> byName;
    private final long headerBytes;

    private SafetensorsHeader(Map<String, String> metadata, List<TensorEntry> entries, long headerBytes) {
        this.metadata = Collections.unmodifiableMap(metadata);
        this.entries = List.copyOf(entries);
        Map<String, TensorEntry> map = new LinkedHashMap<>();
        for (TensorEntry e : entries) map.put(e.name(), e);
        this.byName = Collections.unmodifiableMap(map);
        this.headerBytes = headerBytes;
    }

    /** Checks the header length (the file's first 8 bytes, little-endian) against the limit and the file size. */
    static long headerLength(String file, long first8LittleEndian, long fileSize) {
        if (first8LittleEndian < 0 || first8LittleEndian > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException("safetensors " + file + ": header length "
                    + Long.toUnsignedString(first8LittleEndian) + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
        }
        if (8 + first8LittleEndian > fileSize) {
            throw new CheckpointFormatException("safetensors " + file + ": header length " + first8LittleEndian
                    + " runs past the end of the file (" + fileSize + " bytes)");
        }
        return first8LittleEndian;
    }

    /** Parses and validates {@code json} (the header bytes); {@code dataBytes} is the size of the data section. */
    static SafetensorsHeader parse(String file, byte[] json, long dataBytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException("safetensors " + file + ": header is not valid UTF-8", e);
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new CheckpointFormatException("safetensors " + file + ": header does not start with '{'");
        }
        Object root;
        try {
            root = JsonReader.parse(text);
        } catch (JsonException e) {
            throw new CheckpointFormatException("safetensors " + file + ": invalid JSON header: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : asObject(file, "header", root).entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                for (Map.Entry<String, Object> m : asObject(file, METADATA_KEY, e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String s)) {
                        throw new CheckpointFormatException("safetensors " + file + ": " + METADATA_KEY + " value of \""
                                + m.getKey() + "\" is not a string");
                    }
                    metadata.put(m.getKey(), s);
                }
            } else {
                entries.add(entry(file, e.getKey(), asObject(file, "tensor '" + e.getKey() + "'", e.getValue())));
            }
        }
        entries.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        for (TensorEntry t : entries) {
            if (t.begin() != expected) {
                throw new CheckpointFormatException("safetensors " + file + ": tensor '" + t.name() + "' data_offsets ["
                        + t.begin() + ", " + t.end() + ") " + (t.begin() < expected ? "overlap the previous tensor" : "leave a gap")
                        + " (expected to start at " + expected + ")");
            }
            expected = t.end();
        }
        if (expected != dataBytes) {
            throw new CheckpointFormatException("safetensors " + file + ": tensors cover " + expected + " bytes but the data section after the header holds "
                    + dataBytes);
        }
        return new SafetensorsHeader(metadata, entries, json.length);
    }

    private static TensorEntry entry(String file, String name, Map<String, Object> info) {
        String where = "safetensors " + file + ": tensor '" + name + "'";
        if (!(info.get("dtype") instanceof String dtypeName)) throw new CheckpointFormatException(where + " has no string \"dtype\"");
        DType dtype = DType.parse(dtypeName);
        if (dtype == null) throw new CheckpointFormatException(where + " has unknown dtype \"" + dtypeName + "\"");
        long[] shape = longs(where, "shape", info.get("shape"));
        long[] offsets = longs(where, "data_offsets", info.get("data_offsets"));
        if (offsets.length != 2 || offsets[1] < offsets[0]) {
            throw new CheckpointFormatException(where + " has data_offsets " + Arrays.toString(offsets)
                    + "; expected [begin, end] with begin <= end");
        }
        long bytes = dtype.bytes();
        try {
            for (long d : shape) bytes = Math.multiplyExact(bytes, d);
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(where + " shape " + Arrays.toString(shape) + " overflows 64 bits");
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw new CheckpointFormatException(where + " shape " + Arrays.toString(shape) + " × " + dtype + " ("
                    + dtype.bytes() + " bytes) needs " + bytes + " bytes but data_offsets span " + (offsets[1] - offsets[0]));
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(String where, String field, Object value) {
        if (!(value instanceof List<?> list)) throw new CheckpointFormatException(where + " has no array \"" + field + "\"");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw new CheckpointFormatException(where + " \"" + field + "\" holds " + list.get(i) + "; expected non-negative integers");
            }
            out[i] = l;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(String file, String what, Object value) {
        if (!(value instanceof Map<?, ?> map)) throw new CheckpointFormatException("safetensors " + file + ": " + what + " is not a JSON object");
        return (Map<String, Object>) map;
    }

    /** The {@code __metadata__} strings (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors in data order. */
    public List<TensorEntry> entries() {
        return entries;
    }

    /** The tensor called {@code name}, or null. */
    public TensorEntry entry(String name) {
        return byName.get(name);
    }

    /** Length of the JSON header in bytes (padding included); data starts at {@code 8 + headerBytes()}. */
    public long headerBytes() {
        return headerBytes;
    }
}
