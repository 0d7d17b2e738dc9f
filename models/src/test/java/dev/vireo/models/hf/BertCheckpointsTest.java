package dev.vireo.models.hf;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.engine.testing.Tolerances;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.bert.SentencePooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
