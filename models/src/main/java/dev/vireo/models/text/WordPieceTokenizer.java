/*
 * A BERT tokenizer read from Hugging Face's tokenizer.json (BertNormalizer, BertPreTokenizer,
 * WordPiece, [CLS] A [SEP] B [SEP] template), giving the ids, token type ids and attention mask
 * the tokenizers library gives: special-token text is matched first on the raw input, pairs are
 * truncated longest-first, rows are padded on the right with [PAD].
 */
package dev.vireo.models.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.OneLine;
import dev.vireo.models.config.JsonErrors;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

public final class WordPieceTokenizer {

    private static final int UNBOUNDED = Integer.MAX_VALUE;

    private final BertNormalizer normalizer;
    private final WordPiece model;
    private final String[] tokens;
    private final String prefix;
    private final boolean cleanup;
    /** Special tokens matched verbatim in the raw text, longest first at equal starts. */
    private final String[] specialText;
    private final int[] specialIds;
    /** First characters of the special tokens: most positions are ruled out by one lookup. */
    private final String specialStarts;
    private final IntOpenHashSet specialIdSet = new IntOpenHashSet();
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final int maskId;
    private final int unkId;
    private final int maxLength;

    private WordPieceTokenizer(JsonNode root, String source) {
        if (!root.isObject()) throw error(source + " is not a JSON object");
        JsonNode norm = root.path("normalizer");
        requireType(norm, "BertNormalizer", "normalizer", source);
        boolean lower = norm.path("lowercase").asBoolean(true);
        JsonNode strip = norm.path("strip_accents");
        this.normalizer = new BertNormalizer(norm.path("clean_text").asBoolean(true),
                norm.path("handle_chinese_chars").asBoolean(true), strip.isBoolean() ? strip.asBoolean() : lower, lower);
        requireType(root.path("pre_tokenizer"), "BertPreTokenizer", "pre_tokenizer", source);
        JsonNode m = root.path("model");
        requireType(m, "WordPiece", "model", source);

        JsonNode vocabNode = m.path("vocab");
        if (!vocabNode.isObject()) throw error(source + " has no model.vocab object (token → id)");
        Object2IntOpenHashMap<String> vocab = new Object2IntOpenHashMap<>(vocabNode.size());
        vocab.defaultReturnValue(-1);
        String[] modelTokens = new String[vocabNode.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().isIntegralNumber() && e.getValue().canConvertToInt() ? e.getValue().intValue() : -1;
            if (id < 0 || id >= modelTokens.length || modelTokens[id] != null) {
                throw error(source + " gives '" + e.getKey() + "' id " + e.getValue() + ", not a free id in 0.." + (modelTokens.length - 1));
            }
            modelTokens[id] = e.getKey();
            vocab.put(e.getKey(), id);
        }
        this.tokens = withAddedTokens(modelTokens, vocab, root.path("added_tokens"), source);
        this.prefix = m.path("continuing_subword_prefix").asText("##");
        this.unkId = require(vocab, m.path("unk_token").asText("[UNK]"), source);
        this.model = new WordPiece(vocab, unkId, prefix, integer(m, "max_input_chars_per_word", 100, "model.", source));
        this.cleanup = root.path("decoder").path("cleanup").asBoolean(true);

        List<String> texts = new ArrayList<>();
        for (JsonNode t : root.path("added_tokens")) {
            if (t.path("special").asBoolean(false)) {
                String content = t.path("content").asText();
                if (content.isEmpty()) throw error(source + " has a special token (id " + t.path("id") + ") with no content");
                texts.add(content);
                specialIdSet.add(t.path("id").asInt());
            }
        }
        texts.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.specialText = texts.toArray(String[]::new);
        this.specialIds = new int[specialText.length];
        StringBuilder starts = new StringBuilder();
        for (String t : specialText) {
            starts.append(t.charAt(0));
        }
        this.specialStarts = starts.toString();
        for (int i = 0; i < specialText.length; i++) {
            specialIds[i] = require(vocab, specialText[i], source);
        }
        this.clsId = require(vocab, "[CLS]", source);
        this.sepId = require(vocab, "[SEP]", source);
        this.maskId = require(vocab, "[MASK]", source);
        this.padId = integer(root.path("padding"), "pad_id", require(vocab, "[PAD]", source), "padding.", source);
        if (padId < 0 || padId >= tokens.length) throw error(source + " gives padding.pad_id " + padId + ", not an id in 0.." + (tokens.length - 1));
        this.maxLength = integer(root.path("truncation"), "max_length", 512, "truncation.", source);
        if (maxLength < 2) throw error(source + " gives truncation.max_length " + maxLength + ", which leaves no room for [CLS] and [SEP]");
    }

    /**
     * The model's tokens followed by the special added tokens it lacks, at the ids tokenizer.json
     * gives them (BLIP's [DEC] and [ENC] come after BERT's 30,522 WordPiece tokens): each must be
     * the next free id, so a hostile id cannot size the table. A special token the vocabulary has
     * must carry its vocabulary id. Added tokens enter {@code vocab} too.
     */
    private static String[] withAddedTokens(String[] modelTokens, Object2IntOpenHashMap<String> vocab, JsonNode added, String source) {
        List<JsonNode> extra = new ArrayList<>();
        for (JsonNode t : added) {
            if (!t.path("special").asBoolean(false)) continue;
            String content = t.path("content").asText();
            if (content.isEmpty()) throw error(source + " has a special token (id " + t.path("id") + ") with no content");
            JsonNode id = t.path("id");
            if (!id.isIntegralNumber() || !id.canConvertToInt()) throw error(source + " gives the added token '" + content + "' id " + id + ", not an integer");
            int known = vocab.getInt(content);
            if (known >= 0 && id.intValue() != known) {
                throw error(source + " gives the added token '" + content + "' id " + id + " but the vocabulary gives it " + known);
            }
            if (known < 0) extra.add(t);
        }
        if (extra.isEmpty()) return modelTokens;
        extra.sort((a, b) -> Integer.compare(a.path("id").intValue(), b.path("id").intValue()));
        String[] all = Arrays.copyOf(modelTokens, modelTokens.length + extra.size());
        for (int i = 0; i < extra.size(); i++) {
            String content = extra.get(i).path("content").asText();
            int id = extra.get(i).path("id").intValue(), next = modelTokens.length + i;
            if (id != next) throw error(source + " gives the added token '" + content + "' id " + id + ", not the next free id " + next);
            if (vocab.containsKey(content)) throw error(source + " adds the token '" + content + "' twice");
            all[id] = content;
            vocab.put(content, id);
        }
        return all;
    }

    /** Reads a tokenizer.json. */
    public static WordPieceTokenizer fromTokenizerJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromTokenizerJson(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("WordPieceTokenizer: cannot read " + file, e);
        }
    }

    /**
     * A BERT tokenizer from a {@code vocab.txt} (one token a line, the line number its id), as
     * transformers' {@code BertTokenizerFast} builds it when a folder has no tokenizer.json:
     * BertNormalizer with {@code lowercase} (accents stripped with it), the special tokens
     * [PAD] [UNK] [CLS] [SEP] [MASK] matched verbatim.
     */
    public static WordPieceTokenizer fromVocabTxt(Path file, boolean lowercase) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("WordPieceTokenizer: cannot read " + file, e);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putObject("normalizer").put("type", "BertNormalizer").put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]");
        ObjectNode vocab = model.putObject("vocab");
        int id = 0;
        for (String line : lines) {
            String token = line.strip();
            if (vocab.has(token)) throw error(file + " lists '" + token + "' twice");
            vocab.put(token, id++);
        }
        ArrayNode added = root.putArray("added_tokens");
        for (String special : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
            if (vocab.has(special)) added.addObject().put("content", special).put("id", vocab.get(special).asInt()).put("special", true);
        }
        return new WordPieceTokenizer(root, file.toString());
    }

    /**
     * Reads a tokenizer.json from a stream; {@code source} names it in errors. Text that is not JSON,
     * or bytes that are not text, is an IllegalArgumentException naming the source, the problem and
     * where, on one line.
     */
    public static WordPieceTokenizer fromTokenizerJson(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (JsonProcessingException | CharConversionException e) {
            throw error(source + " is not valid JSON: " + JsonErrors.oneLine(e), e);
        }
        return new WordPieceTokenizer(root, source);
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    public int maskId() {
        return maskId;
    }

    public int unkId() {
        return unkId;
    }

    /** The truncation length tokenizer.json sets (128 for all-MiniLM-L6-v2), or 512 when it sets none. */
    public int maxLength() {
        return maxLength;
    }

    public int vocabSize() {
        return tokens.length;
    }

    public String token(int id) {
        return tokens[id];
    }

    /** The ids of {@code text} without [CLS]/[SEP]: special-token text first, then normalise, split, WordPiece. */
    public int[] tokenize(String text) {
        IntArrayList out = new IntArrayList();
        int from = 0;
        int i = 0;
        while (i < text.length()) {
            int special = specialAt(text, i);
            if (special < 0) {
                i++;
                continue;
            }
            tokenizePlain(text.substring(from, i), out);
            out.add(specialIds[special]);
            i += specialText[special].length();
            from = i;
        }
        tokenizePlain(text.substring(from), out);
        return out.toIntArray();
    }

    /** [CLS] text [SEP], untruncated and unpadded. */
    public Encoding encode(String text) {
        return frameEncoding(tokenize(text), null, UNBOUNDED);
    }

    /** [CLS] text [SEP] truncated and padded to exactly {@code length}. */
    public Encoding encode(String text, int length) {
        return pad(frameEncoding(tokenize(text), null, length), length);
    }

    /** [CLS] a [SEP] b [SEP] with type ids 0 for a's part and 1 for b's, untruncated. */
    public Encoding encodePair(String a, String b) {
        return frameEncoding(tokenize(a), tokenize(b), UNBOUNDED);
    }

    /** A pair truncated longest-first and padded to exactly {@code length}. */
    public Encoding encodePair(String a, String b, int length) {
        return pad(frameEncoding(tokenize(a), tokenize(b), length), length);
    }

    /** B texts truncated to {@code maxLength}, padded to maxLength or, if padToLongest, to the longest row. */
    public TokenBatch batch(List<String> texts, int maxLength, boolean padToLongest) {
        Encoding[] rows = new Encoding[texts.size()];
        int longest = 0;
        for (int b = 0; b < rows.length; b++) {
            rows[b] = frameEncoding(tokenize(texts.get(b)), null, maxLength);
            longest = Math.max(longest, rows[b].length());
        }
        int length = padToLongest ? longest : maxLength;
        for (int b = 0; b < rows.length; b++) {
            rows[b] = pad(rows[b], length);
        }
        return TokenBatch.of(rows);
    }

    /**
     * Text of {@code ids} as transformers' decode(skip_special_tokens=True) gives it: '##' pieces glued
     * to the previous token, then the decoder's cleanup of spaces before punctuation and contractions.
     */
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            if (specialIdSet.contains(id)) {
                continue;
            }
            String t = tokens[id];
            if (out.isEmpty()) {
                out.append(t);
            } else if (t.startsWith(prefix)) {
                out.append(t, prefix.length(), t.length());
            } else {
                out.append(' ').append(t);
            }
        }
        return cleanup ? cleanup(out.toString()) : out.toString();
    }

    private void tokenizePlain(String text, IntArrayList out) {
        if (!text.isEmpty()) {
            BertPreTokenizer.split(normalizer.normalize(text), word -> model.tokenize(word, out));
        }
    }

    /** Index of the longest special token starting at {@code i}, or -1. */
    private int specialAt(String text, int i) {
        if (specialStarts.indexOf(text.charAt(i)) < 0) {
            return -1;
        }
        for (int k = 0; k < specialText.length; k++) {
            if (text.startsWith(specialText[k], i)) {
                return k;
            }
        }
        return -1;
    }

    /** Truncates as tokenizers' truncate_encodings does (special tokens discounted) and adds [CLS]/[SEP]. */
    private Encoding frameEncoding(int[] a, int[] b, int length) {
        int specials = b == null ? 2 : 3;
        if (length < specials) {
            throw new IllegalArgumentException("WordPieceTokenizer: length " + length + " leaves no room for the "
                    + specials + " special tokens");
        }
        int na = a.length;
        int nb = b == null ? 0 : b.length;
        if (length != UNBOUNDED && na + nb > length - specials) {
            if (b == null) {
                na = length - specials;
            } else {
                int[] kept = longestFirst(na, nb, length - specials);
                na = Math.min(na, kept[0]);
                nb = Math.min(nb, kept[1]);
            }
        }
        int[] ids = new int[na + nb + specials];
        int[] types = new int[ids.length];
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        ids[0] = clsId;
        System.arraycopy(a, 0, ids, 1, na);
        ids[na + 1] = sepId;
        if (b != null) {
            System.arraycopy(b, 0, ids, na + 2, nb);
            ids[ids.length - 1] = sepId;
            Arrays.fill(types, na + 2, ids.length, 1);
        }
        return new Encoding(ids, types, mask);
    }

    /** tokenizers' LongestFirst for a pair over {@code max} places: how many of each sequence stay. */
    private static int[] longestFirst(int n1, int n2, int max) {
        boolean swap = n1 > n2;
        int shorter = swap ? n2 : n1;
        int longer = shorter > max ? shorter : Math.max(shorter, max - shorter);
        if (shorter + longer > max) {
            shorter = max / 2;
            longer = shorter + max % 2;
        }
        return swap ? new int[] {longer, shorter} : new int[] {shorter, longer};
    }

    private Encoding pad(Encoding e, int length) {
        if (e.length() >= length) {
            return e;
        }
        int[] ids = Arrays.copyOf(e.ids(), length);
        Arrays.fill(ids, e.length(), length, padId);
        return new Encoding(ids, Arrays.copyOf(e.typeIds(), length), Arrays.copyOf(e.attentionMask(), length));
    }

    private static String cleanup(String t) {
        return t.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }

    private static void requireType(JsonNode node, String type, String field, String source) {
        if (!type.equals(node.path("type").asText())) {
            throw error(source + " has " + field + " type '" + node.path("type").asText() + "', only " + type + " is supported");
        }
    }

    private static int require(Object2IntOpenHashMap<String> vocab, String token, String source) {
        int id = vocab.getInt(token);
        if (id < 0) {
            throw error("token " + token + " is not in the vocabulary of " + source);
        }
        return id;
    }

    /** {@code node.field} as an int; {@code fallback} when absent or null; an error when it is not an integer that fits one. */
    private static int integer(JsonNode node, String field, int fallback, String path, String source) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw error(source + " gives " + path + field + " " + v + ", not an integer");
        return v.intValue();
    }

    /** A tokenizer file's problem on one line, whatever the file put in it. */
    private static IllegalArgumentException error(String problem) {
        return error(problem, null);
    }

    private static IllegalArgumentException error(String problem, Throwable cause) {
        return new IllegalArgumentException(OneLine.of("WordPieceTokenizer: " + problem), cause);
    }
}
