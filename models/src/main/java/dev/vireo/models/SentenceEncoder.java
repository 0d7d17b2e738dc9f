package dev.vireo.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.io.OnnxModel;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.bert.SentencePooling;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.JsonErrors;
import dev.vireo.models.hf.BertCheckpoints;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Sentence embeddings from a BERT-family model, computed as sentence-transformers computes them:
 * WordPiece ids with [CLS]/[SEP] truncated at the model's {@code max_seq_length}, the encoder, the
 * pooling of its {@code Pooling} module, and L2 normalisation when a {@code Normalize} module follows.
 *
 * <pre>{@code
 * try (SentenceEncoder minilm = SentenceEncoder.load(Path.of("data/minilm"))) {
 *     float[][] v = minilm.encode(List.of("a photo of a cat", "ein Foto einer Katze"));
 * }
 * }</pre>
 *
 * <p>A model is a sentence-transformers or {@code BertModel} folder ({@code config.json} +
 * {@code model.safetensors}, or an {@code .onnx} export in it), or an {@code .onnx} file with its
 * tokenizer beside it. Sentences are batched by length, so a short one is never padded to a long
 * one's length; the output is in input order and does not depend on the batching.
 */
public final class SentenceEncoder implements AutoCloseable {
    private static final int BATCH = 32;

    private final BertModel model;
    private final WordPieceTokenizer tokenizer;
    private final SentencePooling pooling;
    private final int maxLength;

    public SentenceEncoder(BertModel model, WordPieceTokenizer tokenizer, SentencePooling pooling, int maxLength) {
        if (maxLength < 2 || maxLength > model.config().maxPositions()) {
            throw new IllegalArgumentException("sentence encoder: max length " + maxLength + " outside 2.." + model.config().maxPositions());
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.maxLength = maxLength;
        ComputeProvider.get().register(weights());
    }

    private List<Tensor> weights() {
        return model.namedParameters().values().stream().map(Parameter::value).toList();
    }

    /** Loads a sentence-transformers / BERT folder or an ONNX file; the error says what is missing. */
    public static SentenceEncoder load(Path path) throws IOException {
        if (!Files.exists(path)) throw new IllegalArgumentException("cannot load a text model: " + path + " does not exist");
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        BertModel model;
        if (Files.isRegularFile(path)) {
            if (!path.toString().endsWith(".onnx")) throw new IllegalArgumentException("cannot load " + path + ": a text model file must be .onnx");
            model = fromOnnx(path, dir);
        } else if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
            model = BertCheckpoints.loadFolder(dir);
        } else {
            Path onnx = single(dir, ".onnx");
            if (onnx == null) onnx = single(dir.resolve("onnx"), ".onnx");
            if (onnx == null) {
                throw new IllegalArgumentException("cannot load " + dir + ": no model.safetensors and no single .onnx file"
                        + " (expected a sentence-transformers or BERT folder)");
            }
            model = fromOnnx(onnx, dir);
        }
        WordPieceTokenizer tokenizer = tokenizer(dir);
        SentencePooling pooling = pooling(dir);
        Path stFile = dir.resolve("sentence_bert_config.json");
        JsonNode st = json(stFile);
        int maxLength = model.config().maxPositions();
        if (st != null && st.hasNonNull("max_seq_length")) {
            JsonNode v = st.get("max_seq_length");
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 2) {
                throw new IllegalArgumentException(OneLine.of(stFile + ": max_seq_length " + v + " is not a whole number of tokens of 2 or more"));
            }
            maxLength = v.intValue();
        }
        return new SentenceEncoder(model, tokenizer, pooling, Math.min(maxLength, model.config().maxPositions()));
    }

    private static BertModel fromOnnx(Path file, Path dir) throws IOException {
        BertConfig config = Files.isRegularFile(dir.resolve("config.json")) ? BertCheckpoints.readConfig(dir.resolve("config.json")) : null;
        try (OnnxModel onnx = OnnxModel.open(file)) {
            return BertCheckpoints.loadOnnx(onnx, config);
        }
    }

    private static WordPieceTokenizer tokenizer(Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(json)) json = single(dir, "tokenizer.json");
        if (json != null) return WordPieceTokenizer.fromTokenizerJson(json);
        Path vocab = dir.resolve("vocab.txt");
        if (!Files.isRegularFile(vocab)) throw new IllegalArgumentException("cannot load " + dir + ": no tokenizer.json and no vocab.txt");
        JsonNode config = json(dir.resolve("tokenizer_config.json"));
        return WordPieceTokenizer.fromVocabTxt(vocab, config == null || config.path("do_lower_case").asBoolean(true));
    }

    /** The folder's modules.json pooling and normalisation; a bare BERT folder gets mean pooling as sentence-transformers gives it. */
    private static SentencePooling pooling(Path dir) throws IOException {
        JsonNode modules = json(dir.resolve("modules.json"));
        if (modules == null) return new SentencePooling(SentencePooling.Mode.MEAN, false);
        SentencePooling.Mode mode = SentencePooling.Mode.MEAN;
        boolean normalize = false;
        for (JsonNode m : modules) {
            String type = m.path("type").asText();
            if (type.endsWith(".Normalize")) normalize = true;
            if (type.endsWith(".Pooling")) {
                Path folder;
                try {
                    folder = dir.resolve(m.path("path").asText());
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException(OneLine.of(dir + ": modules.json gives the Pooling module the path '"
                            + m.path("path").asText() + "': " + e.getReason()), e);
                }
                JsonNode config = json(folder.resolve("config.json"));
                if (config == null) throw new IllegalArgumentException(dir + ": modules.json names a Pooling module without its config.json");
                mode = poolingMode(config, dir);
            }
        }
        return new SentencePooling(mode, normalize);
    }

    private static SentencePooling.Mode poolingMode(JsonNode config, Path dir) {
        if (config.has("pooling_mode")) return SentencePooling.Mode.of(config.get("pooling_mode").asText());
        List<SentencePooling.Mode> on = new ArrayList<>();
        for (String name : List.of("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")) {
            if (config.path("pooling_mode_" + name).asBoolean(false)) on.add(SentencePooling.Mode.of(name));
        }
        if (on.size() != 1) throw new IllegalArgumentException(dir + ": the Pooling config turns on " + on + "; Vireo needs exactly one mode");
        return on.getFirst();
    }

    /** The JSON of {@code file}, or null when there is none; text that is not JSON is one line naming the file, what and where. */
    private static JsonNode json(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException | CharConversionException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + JsonErrors.oneLine(e), e);
        }
    }

    private static Path single(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() > 1) throw new IllegalArgumentException(dir + ": more than one *" + suffix + " file: " + found);
            return found.isEmpty() ? null : found.getFirst();
        }
    }

    /**
     * Writes the sentence-transformers description of a model into {@code dir} as its Hugging Face
     * repository has it: {@code modules.json} (Transformer, Pooling, and Normalize when asked),
     * {@code 1_Pooling/config.json} and {@code sentence_bert_config.json}. A folder holding only an
     * ONNX export and its tokenizer then loads with the model's own pooling and length.
     */
    public static void writeSentenceTransformersConfig(Path dir, SentencePooling pooling, int maxSeqLength, int dimension) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode modules = json.createArrayNode();
        modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type", "sentence_transformers.models.Transformer");
        modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type", "sentence_transformers.models.Pooling");
        if (pooling.normalize()) {
            modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type", "sentence_transformers.models.Normalize");
        }
        ObjectNode pool = json.createObjectNode().put("word_embedding_dimension", dimension);
        for (SentencePooling.Mode m : SentencePooling.Mode.values()) pool.put("pooling_mode_" + m.configName(), m == pooling.mode());
        ObjectNode st = json.createObjectNode().put("max_seq_length", maxSeqLength).put("do_lower_case", false);
        Files.createDirectories(dir.resolve("1_Pooling"));
        AtomicFiles.writeString(dir.resolve("modules.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(modules));
        AtomicFiles.writeString(dir.resolve("1_Pooling/config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(pool));
        AtomicFiles.writeString(dir.resolve("sentence_bert_config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(st));
    }

    /**
     * sentence-transformers' description of all-MiniLM-L6-v2 as its repository has it (mean pooling,
     * normalised, 256 word pieces, 384 wide), beside that model's ONNX export and tokenizer.
     */
    public static void writeMiniLmConfig(Path dir) throws IOException {
        writeSentenceTransformersConfig(dir, SentencePooling.meanNormalized(), 256, 384);
    }

    /** This encoder truncating at {@code length} word pieces instead (2 up to the model's positions). */
    public SentenceEncoder withMaxLength(int length) {
        return new SentenceEncoder(model, tokenizer, pooling, length);
    }

    public BertModel model() {
        return model;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public SentencePooling pooling() {
        return pooling;
    }

    public int maxLength() {
        return maxLength;
    }

    /** The vector width. */
    public int dimension() {
        return model.config().hidden();
    }

    /** Each text's ids with [CLS] and [SEP], truncated at {@link #maxLength()} as the model sees them. */
    public int[][] tokenize(List<String> texts) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) ids[i] = tokenizer.batch(List.of(texts.get(i)), maxLength, true).row(0);
        return ids;
    }

    /** Sentence vectors (N, C) in input order. */
    public float[][] encode(List<String> texts) {
        int[][] ids = tokenize(texts);
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -ids[i].length)); // longest first, stable
        float[][] out = new float[ids.length][];
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < order.length; s += BATCH) {
                int n = Math.min(BATCH, order.length - s);
                int[][] rows = new int[n][];
                for (int j = 0; j < n; j++) rows[j] = ids[order[s + j]];
                float[][] vectors = encodeBatch(rows);
                for (int j = 0; j < n; j++) out[order[s + j]] = vectors[j];
            }
        }
        return out;
    }

    /** One padded batch: rows of ids (each with [CLS]/[SEP]) → their pooled vectors. */
    private float[][] encodeBatch(int[][] rows) {
        int b = rows.length, t = 0;
        for (int[] r : rows) t = Math.max(t, r.length);
        int[] ids = new int[b * t];
        int[] lengths = new int[b];
        float[] mask = new float[b * t];
        boolean padded = false;
        Arrays.fill(ids, tokenizer.padId());
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, ids, i * t, rows[i].length);
            Arrays.fill(mask, i * t, i * t + rows[i].length, 1f);
            lengths[i] = rows[i].length;
            padded |= rows[i].length < t;
        }
        Tensor hidden = model.forward(ids, null, padded ? Tensor.of(mask, b, t) : null, b, t); // (B, T, C)
        return pooling.apply(hidden, lengths);
    }

    @Override
    public void close() {
        ComputeProvider.get().release(weights());
    }
}
