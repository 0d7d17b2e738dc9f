package dev.vireo.models.hf;

import dev.vireo.engine.io.OnnxModel;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.engine.testing.Tolerances;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.bert.SentencePooling;
import dev.vireo.models.config.BertConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Hugging Face BertModel folder written by transformers (make_tiny_bert.py: random weights, token
 * types, a padded row, the pooler) loads with its names and gives transformers' outputs.
 */
class BertCheckpointsTest {
    private static Path folder() {
        return Fixtures.path(BertCheckpointsTest.class, "/bert/tiny_bert/config.json").getParent();
    }

    @Test
    void hiddenStatesAndPoolerMatchTransformers() throws IOException {
        BertModel model = BertCheckpoints.loadFolder(folder());
        Map<String, Object> golden = Fixtures.json(BertCheckpointsTest.class, "/bert/tiny_bert_golden.json");
        List<Object> ids = list(golden.get("ids")), mask = list(golden.get("mask")), types = list(golden.get("types"));
        int b = ids.size(), t = Fixtures.ints(ids.getFirst()).length;
        int[] flatIds = new int[b * t], flatTypes = new int[b * t];
        float[] flatMask = new float[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(Fixtures.ints(ids.get(i)), 0, flatIds, i * t, t);
            System.arraycopy(Fixtures.ints(types.get(i)), 0, flatTypes, i * t, t);
            int[] m = Fixtures.ints(mask.get(i));
            for (int j = 0; j < t; j++) flatMask[i * t + j] = m[j];
        }
        try (var ignored = GradMode.noGrad()) {
            Tensor hidden = model.forward(flatIds, flatTypes, Tensor.of(flatMask, b, t), b, t); // (B, T, 32)
            float[] h = hidden.toArray();
            List<Object> expected = list(golden.get("last_hidden_state"));
            for (int i = 0; i < b; i++) {
                List<Object> rows = list(expected.get(i));
                for (int j = 0; j < rows.size(); j++) {
                    float[] got = Arrays.copyOfRange(h, (i * t + j) * 32, (i * t + j + 1) * 32);
                    Tolerances.assertAllClose("token " + j + " of row " + i, Fixtures.floats(rows.get(j)), got, 2e-5, 1e-5);
                }
            }
            float[] pooled = model.pool(hidden).toArray();
            List<Object> pooler = list(golden.get("pooler_output"));
            for (int i = 0; i < b; i++) {
                Tolerances.assertAllClose("pooler " + i, Fixtures.floats(pooler.get(i)), Arrays.copyOfRange(pooled, i * 32, i * 32 + 32), 2e-5, 1e-5);
            }
        }
    }

    @Test
    void aBareBertFolderIsASentenceEncoderWithMeanPooling() throws IOException {
        try (SentenceEncoder encoder = SentenceEncoder.load(folder())) {
            assertThat(encoder.tokenize(List.of("A photo of the CAT"))[0]).containsExactly(2, 5, 6, 7, 8, 9, 3);
            assertThat(encoder.pooling()).isEqualTo(new SentencePooling(SentencePooling.Mode.MEAN, false));
            assertThat(encoder.maxLength()).isEqualTo(16);
            assertThat(encoder.encode(List.of("dog on the mat", "running"))[1]).hasSize(32);
        }
    }

    /** config.json files 'bench fuzz' (#23) sent: each a one-line IllegalArgumentException naming the file. */
    @Test
    void damagedConfigsAreOneLineErrors(@TempDir Path dir) throws IOException {
        String good = Files.readString(folder().resolve("config.json"));
        Path file = dir.resolve("config.json");
        // not JSON: Jackson's JsonParseException, two lines with a source excerpt, before
        Files.writeString(file, good.replace("\"hidden_size\": 32,", "\"hidden_size\": 32"));
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.readConfig(file),
                "config.json: not valid JSON: Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries");
        Files.write(file, new byte[] {0, 0, 0, '{', 0x7f, 0x7f, 0x7f, 0x7f}); // taken for UTF-32: a CharConversionException before
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.readConfig(file), "config.json: not valid JSON: Invalid UTF-32 character");
        // quoted text stays on one line
        Files.writeString(file, good.replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"ge\\nlu\""));
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.readConfig(file), "bert.activation 'ge\\nlu' is not one of");
        Files.writeString(file, good.replace("\"model_type\": \"bert\"", "\"model_type\": \"be\\nrt\""));
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.readConfig(file), "model_type 'be\\nrt' is not a BERT encoder");
    }

    /** A sentence-transformers folder's own JSON files: one-line errors naming the file, never Jackson's two-line exception. */
    @Test
    void damagedSentenceTransformersFilesAreOneLineErrors(@TempDir Path dir) throws IOException {
        for (String name : List.of("config.json", "model.safetensors", "vocab.txt")) Files.copy(folder().resolve(name), dir.resolve(name));
        Files.writeString(dir.resolve("modules.json"), "[{\"idx\": 0, \"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"},");
        HfClipConfigTest.assertOneLine(() -> SentenceEncoder.load(dir), "modules.json is not valid JSON: Unexpected end-of-input");
        Files.writeString(dir.resolve("modules.json"), "[{\"idx\": 1, \"path\": \"1_Pool\\u0000ing\", \"type\": \"sentence_transformers.models.Pooling\"}]");
        HfClipConfigTest.assertOneLine(() -> SentenceEncoder.load(dir), "modules.json gives the Pooling module the path '1_Pool\\u0000ing'");
        Files.delete(dir.resolve("modules.json"));
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": -5}");
        HfClipConfigTest.assertOneLine(() -> SentenceEncoder.load(dir), "sentence_bert_config.json: max_seq_length -5 is not a whole number of tokens");
    }

    /** ONNX graphs 'bench fuzz' (#23) sent through loadOnnx: one-line errors instead of NoSuchElementException or a two-line message. */
    @Test
    void damagedOnnxGraphsAreOneLineErrors() {
        // a MatMul on an initializer with no output: NoSuchElementException before
        byte[] noOutput = onnx(node("MatMul", List.of("x", "w"), List.of()), initializer("w", 2, 2));
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.loadOnnx(OnnxModel.parse("a.onnx", noOutput), null),
                "the MatMul weight 'w' is not followed by a named bias");
        // a Constant with no output is passed over (NoSuchElementException before); without heads the config cannot be inferred
        byte[] noHeads = onnx(constantWithoutOutput(2), initializer("embeddings.word_embeddings.weight", 4, 2),
                initializer("embeddings.position_embeddings.weight", 4, 2), initializer("embeddings.token_type_embeddings.weight", 2, 2),
                initializer("encoder.layer.0.intermediate.dense.weight", 4, 2), initializer("encoder.layer.0.attention.self.query.weight", 2, 2));
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.loadOnnx(OnnxModel.parse("b.onnx", noHeads), null),
                "cannot tell the number of attention heads");
        // a word embedding of one dimension: Tensor.size(1) failed naming no tensor
        byte[] flat = onnx(initializer("embeddings.word_embeddings.weight", 8));
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.loadOnnx(OnnxModel.parse("c.onnx", flat), null),
                "c.onnx: tensor 'embeddings.word_embeddings.weight' has shape [8], not a matrix");
        // a tensor name quoting a newline: a two-line message before
        byte[] named = onnx(initializer("embeddings.word\nembeddings", 64));
        BertConfig config = new BertConfig(2, 2, 1, 1, 2, 2, 1, 1e-12, "gelu", false);
        HfClipConfigTest.assertOneLine(() -> BertCheckpoints.loadOnnx(OnnxModel.parse("d.onnx", named), config),
                "unexpected [embeddings.word\\nembeddings]");
    }

    /** A model whose graph holds these parts (protocol-buffer bytes: nodes field 1, initializers field 5). */
    private static byte[] onnx(byte[]... graphParts) {
        java.io.ByteArrayOutputStream graph = new java.io.ByteArrayOutputStream();
        for (byte[] part : graphParts) graph.writeBytes(part);
        return field(7, graph.toByteArray());
    }

    private static byte[] node(String op, List<String> inputs, List<String> outputs) {
        java.io.ByteArrayOutputStream n = new java.io.ByteArrayOutputStream();
        for (String in : inputs) n.writeBytes(field(1, in.getBytes(StandardCharsets.UTF_8)));
        for (String out : outputs) n.writeBytes(field(2, out.getBytes(StandardCharsets.UTF_8)));
        n.writeBytes(field(4, op.getBytes(StandardCharsets.UTF_8)));
        return field(1, n.toByteArray());
    }

    /** A Constant node holding the INT64 tensor [value] (as a reshape's head count) that names no output. */
    private static byte[] constantWithoutOutput(long value) {
        byte[] raw = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        java.io.ByteArrayOutputStream t = new java.io.ByteArrayOutputStream();
        t.writeBytes(new byte[] {1 << 3, 1, 2 << 3, 7}); // dims [1], data_type INT64
        t.writeBytes(field(9, raw));
        java.io.ByteArrayOutputStream attribute = new java.io.ByteArrayOutputStream();
        attribute.writeBytes(field(1, "value".getBytes(StandardCharsets.UTF_8)));
        attribute.writeBytes(field(5, t.toByteArray()));
        java.io.ByteArrayOutputStream n = new java.io.ByteArrayOutputStream();
        n.writeBytes(field(4, "Constant".getBytes(StandardCharsets.UTF_8)));
        n.writeBytes(field(5, attribute.toByteArray()));
        return field(1, n.toByteArray());
    }

    /** A FLOAT initializer of zeros with these dims. */
    private static byte[] initializer(String name, int... dims) {
        java.io.ByteArrayOutputStream t = new java.io.ByteArrayOutputStream();
        int numel = 1;
        for (int d : dims) {
            t.write(1 << 3); // dims, varint
            t.write(d);      // < 128
            numel *= d;
        }
        t.write(2 << 3);
        t.write(1);          // data_type FLOAT
        t.writeBytes(field(8, name.getBytes(StandardCharsets.UTF_8)));
        t.writeBytes(field(9, new byte[4 * numel]));
        return field(5, t.toByteArray());
    }

    /** A length-delimited field. */
    private static byte[] field(int number, byte[] payload) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(number << 3 | 2);
        for (long v = payload.length; ; v >>>= 7) {
            if (v < 0x80) {
                out.write((int) v);
                break;
            }
            out.write((int) (v & 0x7f) | 0x80);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    @Test
    void aWrongFolderSaysWhatIsWrong(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> BertCheckpoints.loadFolder(dir)).hasMessageContaining("config.json is missing");
        Files.copy(folder().resolve("config.json"), dir.resolve("config.json"));
        assertThatThrownBy(() -> BertCheckpoints.loadFolder(dir)).hasMessageContaining("model.safetensors is missing");
        Files.writeString(dir.resolve("config.json"), Files.readString(folder().resolve("config.json")).replace("\"intermediate_size\": 64", "\"intermediate_size\": 48"));
        Files.copy(folder().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> BertCheckpoints.loadFolder(dir)).hasMessageContaining("encoder.layer.0.intermediate.dense.weight");
        Files.writeString(dir.resolve("config.json"), Files.readString(folder().resolve("config.json")).replace("\"hidden_size\": 32", "\"hidden_size\": 4096"));
        assertThatThrownBy(() -> BertCheckpoints.loadFolder(dir)).hasMessageContaining("needs at least");
        Files.writeString(dir.resolve("config.json"), Files.readString(folder().resolve("config.json")).replace("\"model_type\": \"bert\"", "\"model_type\": \"gpt2\""));
        assertThatThrownBy(() -> BertCheckpoints.loadFolder(dir)).hasMessageContaining("not a BERT encoder");
    }
}
