/*
 * CLIP's tokenizer, id for id with OpenAI's simple_tokenizer (and Hugging Face's CLIPTokenizer):
 * ClipTextNormalizer → ClipPreTokenizer → byte-level BPE, framed by <|startoftext|> 49406 and
 * <|endoftext|> 49407. Loads OpenAI's bpe_simple_vocab_16e6.txt(.gz) — bundled — or HF's
 * vocab.json + merges.txt. Fixed-length encoding truncates keeping the end token and pads with padId.
 */
package dev.vireo.models.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.OneLine;
import dev.vireo.models.config.JsonErrors;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.GZIPInputStream;

public final class ClipTokenizer {

    /** CLIP's text context: 77 positions. */
    public static final int CONTEXT_LENGTH = 77;
    /** Merges simple_tokenizer reads from its file: 49152 - 256 - 2 (the rest of the file is unused). */
    public static final int OPENAI_MERGES = 49152 - 256 - 2;
    /** Words kept by the BPE cache before it is emptied. */
    public static final int DEFAULT_CACHE = 1 << 16;
    private static final String BUNDLED = "bpe_simple_vocab_16e6.txt.gz";
    /** The most text an OpenAI merges file may hold (the real one is 1.36 MB): a gzip bomb ends here, not in an OutOfMemoryError. */
    static final int MAX_OPENAI_VOCAB_BYTES = 64 << 20;

    private final BytePairEncoding bpe;
    private final int startId;
    private final int endId;
    private final int padId;

    private ClipTokenizer(BytePairEncoding bpe, int padId) {
        this.bpe = bpe;
        this.startId = requireToken(bpe, ClipPreTokenizer.START);
        this.endId = requireToken(bpe, ClipPreTokenizer.END);
        this.padId = padId;
    }

    /** The bundled OpenAI vocabulary (49,408 tokens), loaded once per JVM; pads with 0 as OpenAI does. */
    public static ClipTokenizer openai() {
        return Bundled.INSTANCE;
    }

    /** OpenAI's bpe_simple_vocab_16e6.txt, plain or gzip (detected from its first bytes). */
    public static ClipTokenizer fromOpenAiVocab(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromOpenAiVocab(in, DEFAULT_CACHE);
        } catch (IOException e) {
            throw new UncheckedIOException(OneLine.of("ClipTokenizer: cannot read OpenAI vocabulary " + file + ": " + e.getMessage()), e);
        }
    }

    /** OpenAI's merges file from a stream: vocabulary built as simple_tokenizer builds it. */
    public static ClipTokenizer fromOpenAiVocab(InputStream in, int cacheCapacity) throws IOException {
        String[] lines = readMaybeGzip(in).split("\n", -1);
        if (lines.length < OPENAI_MERGES + 1 || !lines[0].startsWith("#version")) {
            String start = lines[0].length() > 40 ? lines[0].substring(0, 40) + "..." : lines[0];
            throw error("an OpenAI merges file starts with '#version' and has at least " + (OPENAI_MERGES + 1) + " lines; got "
                    + lines.length + " lines starting '" + start + "'");
        }
        List<String[]> merges = new ArrayList<>(OPENAI_MERGES);
        for (int i = 1; i <= OPENAI_MERGES; i++) {
            merges.add(splitMerge(lines[i], i + 1));
        }
        // 256 byte symbols, their '</w>' forms, one token per merge, then the two special tokens
        String[] tokens = new String[512 + merges.size() + 2];
        for (int i = 0; i < 256; i++) {
            String ch = String.valueOf(ByteLevel.charOf(ByteLevel.byteAt(i)));
            tokens[i] = ch;
            tokens[256 + i] = ch + BytePairEncoding.END_OF_WORD;
        }
        for (int r = 0; r < merges.size(); r++) {
            tokens[512 + r] = merges.get(r)[0] + merges.get(r)[1];
        }
        tokens[tokens.length - 2] = ClipPreTokenizer.START;
        tokens[tokens.length - 1] = ClipPreTokenizer.END;
        return new ClipTokenizer(new BytePairEncoding(tokens, merges, cacheCapacity), 0);
    }

    /** Hugging Face's vocab.json (token → id) and merges.txt ('#version' line, then one merge a line). */
    public static ClipTokenizer fromHuggingFace(Path vocabJson, Path mergesTxt) {
        try {
            String[] tokens;
            try {
                tokens = readVocab(vocabJson);
            } catch (JsonProcessingException | CharConversionException e) {
                throw error(vocabJson + " is not valid JSON: " + JsonErrors.oneLine(e), e);
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                throw error(mergesTxt + " is not UTF-8 text", e);
            }
            List<String[]> merges = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!(i == 0 && line.startsWith("#version")) && !line.isEmpty()) {
                    merges.add(splitMerge(line, i + 1));
                }
            }
            return new ClipTokenizer(new BytePairEncoding(tokens, merges, DEFAULT_CACHE), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("ClipTokenizer: cannot read " + vocabJson + " / " + mergesTxt, e);
        }
    }

    /**
     * vocab.json's tokens by id, read as a stream without interning its 49,408 names (Jackson's
     * default, and its tree of nodes, made reading it 0.6 s of a cold start).
     */
    private static String[] readVocab(Path vocabJson) throws IOException {
        try (JsonParser p = VOCAB_JSON.createParser(vocabJson.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw error(vocabJson + " is not a JSON object of token → id");
            List<String> names = new ArrayList<>(1 << 16);
            List<String> values = new ArrayList<>(1 << 16);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                names.add(p.currentName());
                JsonToken v = p.nextToken();
                if (v.isStructStart()) {
                    p.skipChildren();
                    values.add(v == JsonToken.START_OBJECT ? "{...}" : "[...]");
                } else {
                    values.add(v == JsonToken.VALUE_STRING ? '"' + p.getText() + '"' : p.getText());
                }
            }
            if (p.nextToken() != null) throw error(vocabJson + " is not a JSON object of token → id");
            String[] tokens = new String[names.size()];
            for (int i = 0; i < tokens.length; i++) {
                int id = parseId(values.get(i));
                if (id < 0 || id >= tokens.length || tokens[id] != null) {
                    throw error(vocabJson + " gives '" + names.get(i) + "' id " + values.get(i) + ", not a free id in 0.." + (tokens.length - 1));
                }
                tokens[id] = names.get(i);
            }
            return tokens;
        }
    }

    /** A JSON integer's text as an id, or -1 for any other value. */
    private static int parseId(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The same tokenizer, padding with {@code id} instead (e.g. 49407 as open_clip's HF configs do). */
    public ClipTokenizer withPadId(int id) {
        if (id < 0 || id >= bpe.vocabSize()) {
            throw new IllegalArgumentException("ClipTokenizer.withPadId: id " + id + " outside vocabulary of " + bpe.vocabSize());
        }
        return new ClipTokenizer(bpe, id);
    }

    /**
     * Writes the vocabulary as Hugging Face's CLIPTokenizer files: {@code vocab.json} (token → id,
     * in id order) and {@code merges.txt} ({@code #version: 0.2}, then one merge per line).
     */
    public void writeHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        var vocab = new LinkedHashMap<String, Integer>();
        for (int id = 0; id < bpe.vocabSize(); id++) vocab.put(bpe.token(id), id);
        Files.writeString(vocabJson, new ObjectMapper().writeValueAsString(vocab));
        StringBuilder sb = new StringBuilder("#version: 0.2\n");
        for (String[] m : bpe.merges()) sb.append(m[0]).append(' ').append(m[1]).append('\n');
        Files.writeString(mergesTxt, sb.toString());
    }

    public int startId() {
        return startId;
    }

    public int endId() {
        return endId;
    }

    public int padId() {
        return padId;
    }

    /** V: 49,408 for OpenAI's vocabulary. */
    public int vocabSize() {
        return bpe.vocabSize();
    }

    /** The BPE ids of {@code text}, without start and end tokens. */
    public int[] tokenize(String text) {
        return tokenize(text, Integer.MAX_VALUE);
    }

    /**
     * The leading BPE ids of {@code text}: the words are encoded in order until at least {@code limit}
     * ids are out (the last word whole, so a few more may come), the words after it are not looked at.
     */
    int[] tokenize(String text, int limit) {
        IntArrayList out = new IntArrayList();
        ClipPreTokenizer.splitWhile(ClipTextNormalizer.normalize(text), word -> {
            if (out.size() >= limit) {
                return false;
            }
            if (word.equals(ClipPreTokenizer.START)) {
                out.add(startId);
            } else if (word.equals(ClipPreTokenizer.END)) {
                out.add(endId);
            } else {
                out.addElements(out.size(), bpe.encodeWord(word));
            }
            return true;
        });
        return out.toIntArray();
    }

    /** [start] + tokenize(text) + [end], unpadded. */
    public int[] encode(String text) {
        return framed(tokenize(text));
    }

    /** Exactly {@code contextLength} ids: cut after contextLength - 1 with the end token last, or padded. */
    public int[] encode(String text, int contextLength) {
        return fit(framed(tokenize(text, bodyLimit(contextLength))), contextLength);
    }

    /** B texts → B rows of {@code contextLength} ids. */
    public int[][] encodeBatch(List<String> texts, int contextLength) {
        int[][] out = new int[texts.size()][];
        for (int b = 0; b < out.length; b++) {
            out[b] = encode(texts.get(b), contextLength);
        }
        return out;
    }

    /** B texts → a (B, T) batch with attention mask (0 on padding) and lengths (end token at length - 1). */
    public TokenBatch batch(List<String> texts, int contextLength) {
        Encoding[] rows = new Encoding[texts.size()];
        for (int b = 0; b < rows.length; b++) {
            int[] full = framed(tokenize(texts.get(b), bodyLimit(contextLength)));
            int[] mask = new int[contextLength];
            Arrays.fill(mask, 0, Math.min(contextLength, full.length), 1);
            rows[b] = new Encoding(fit(full, contextLength), new int[contextLength], mask);
        }
        return TokenBatch.of(rows);
    }

    /** simple_tokenizer.decode: token strings joined, bytes decoded as UTF-8 (invalid → U+FFFD), '</w>' → ' '. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            String token = bpe.token(id);
            for (int i = 0; i < token.length(); i++) {
                int b = ByteLevel.byteOf(token.charAt(i));
                if (b < 0) {
                    throw new IllegalStateException("ClipTokenizer.decode: token " + id + " '" + token + "' has a non-byte character");
                }
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).replace(BytePairEncoding.END_OF_WORD, " ");
    }

    /** The text of a fixed-length row: what lies between the start token and the first end token, trimmed. */
    public String decodeText(int[] ids) {
        int from = ids.length > 0 && ids[0] == startId ? 1 : 0;
        int to = from;
        while (to < ids.length && ids[to] != endId) {
            to++;
        }
        return decode(Arrays.copyOfRange(ids, from, to)).strip();
    }

    /** The id of a token string (byte characters, '</w>' forms), or -1. */
    public int id(String token) {
        return bpe.id(token);
    }

    public String token(int id) {
        return bpe.token(id);
    }

    BytePairEncoding bpe() {
        return bpe;
    }

    private int[] framed(int[] body) {
        int[] ids = new int[body.length + 2];
        ids[0] = startId;
        System.arraycopy(body, 0, ids, 1, body.length);
        ids[ids.length - 1] = endId;
        return ids;
    }

    /**
     * How many body ids a row of {@code contextLength} can depend on: contextLength - 2. With that many
     * (or more) the row is start + the first contextLength - 2 + end whether the text has more or not,
     * and its mask is all ones either way, so the words after them need not be encoded.
     */
    private static int bodyLimit(int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("ClipTokenizer.encode: contextLength " + contextLength + " leaves no room for start and end tokens");
        }
        return contextLength - 2;
    }

    private int[] fit(int[] full, int contextLength) {
        int[] ids = new int[contextLength];
        if (full.length > contextLength) {
            System.arraycopy(full, 0, ids, 0, contextLength - 1);
            ids[contextLength - 1] = endId;
        } else {
            System.arraycopy(full, 0, ids, 0, full.length);
            Arrays.fill(ids, full.length, contextLength, padId);
        }
        return ids;
    }

    private static String[] splitMerge(String line, int lineNumber) {
        int space = line.indexOf(' ');
        if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
            throw error("merges line " + lineNumber + " is not two symbols: '" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'");
        }
        return new String[] {line.substring(0, space), line.substring(space + 1)};
    }

    private static String readMaybeGzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        try (InputStream body = gzip ? new GZIPInputStream(in, 1 << 16) : in) {
            byte[] text = body.readNBytes(MAX_OPENAI_VOCAB_BYTES + 1);
            if (text.length > MAX_OPENAI_VOCAB_BYTES) {
                throw error("an OpenAI merges file is about 1.4 MB; this one has more than " + MAX_OPENAI_VOCAB_BYTES + " bytes"
                        + (gzip ? " once decompressed" : ""));
            }
            return new String(text, StandardCharsets.UTF_8);
        }
    }

    private static int requireToken(BytePairEncoding bpe, String token) {
        int id = bpe.id(token);
        if (id < 0) {
            throw error("special token " + token + " is not in the vocabulary");
        }
        return id;
    }

    /** A vocabulary file's problem on one line, whatever the file put in it. */
    private static IllegalArgumentException error(String problem) {
        return error(problem, null);
    }

    private static IllegalArgumentException error(String problem, Throwable cause) {
        return new IllegalArgumentException(OneLine.of("ClipTokenizer: " + problem), cause);
    }

    private static final JsonFactory VOCAB_JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();

    /** Loads the bundled vocabulary on first use. */
    private static final class Bundled {
        static final ClipTokenizer INSTANCE = load();

        private static ClipTokenizer load() {
            try (InputStream in = ClipTokenizer.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException("ClipTokenizer: bundled resource " + BUNDLED + " is missing from the classpath");
                }
                return fromOpenAiVocab(in, DEFAULT_CACHE);
            } catch (IOException e) {
                throw new UncheckedIOException("ClipTokenizer: cannot read bundled " + BUNDLED, e);
            }
        }
    }
}
