package dev.vireo.examples.simple;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Shapes, unit norms, cosine similarity, retrieval order, gradients and save/load of the two-tower model. */
class SimpleMultimodalModelTest {
    @TempDir
    Path dir;

    @Test
    void curriculumSizesGiveUnitEmbeddingsOfTheJointWidth() {
        SimpleMultimodalModel m = new SimpleMultimodalModel(2048, 768, 512);
        Rng rng = new Rng(3);
        Tensor img = m.encodeImage(Tensor.randn(rng, 0f, 1f, 2, 2048)); // (2, 512)
        Tensor txt = m.encodeText(Tensor.randn(rng, 0f, 1f, 3, 768));   // (3, 512)
        assertThat(img.shape()).containsExactly(2, 512);
        assertThat(txt.shape()).containsExactly(3, 512);
        assertThat(m.computeSimilarity(img, txt).shape()).containsExactly(2, 3);
    }

    @Test
    void embeddingsHaveUnitNormAndSimilarityIsCosine() {
        SimpleMultimodalModel m = new SimpleMultimodalModel(6, 5, 4, 8, 1);
        Rng rng = new Rng(4);
        Tensor img = m.encodeImage(Tensor.randn(rng, 0f, 1f, 3, 6));
        Tensor txt = m.encodeText(Tensor.randn(rng, 0f, 1f, 2, 5));
        for (int r = 0; r < 3; r++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += img.get(r, k) * img.get(r, k);
            assertThat(s).isCloseTo(1.0, within(1e-5));
        }
        Tensor sim = m.computeSimilarity(img, txt);
        double dot = 0;
        for (int k = 0; k < 4; k++) dot += img.get(2, k) * txt.get(1, k);
        assertThat((double) sim.get(2, 1)).isCloseTo(dot, within(1e-5));
    }

    @Test
    void retrieveReturnsTheMostSimilarFirstWithTiesByIndex() {
        SimpleMultimodalModel m = new SimpleMultimodalModel(2, 2, 2);
        Tensor gallery = Tensor.of(new float[] {0, 1, 1, 0, 1, 1, 1, 0}, 4, 2); // rows 1 and 3 equal
        assertThat(m.retrieve(Tensor.of(new float[] {1, 0.1f}, 2), gallery, 3)).containsExactly(1, 3, 2);
        assertThat(m.retrieve(Tensor.of(new float[] {0, 1}, 1, 2), gallery, 1)).containsExactly(0);
        assertThatThrownBy(() -> m.retrieve(Tensor.of(new float[] {1, 0}, 2), gallery, 5)).hasMessageContaining("k = 5");
    }

    @Test
    void wrongFeatureWidthNamesTheOpAndShapes() {
        SimpleMultimodalModel m = new SimpleMultimodalModel(6, 5, 4);
        assertThatThrownBy(() -> m.encodeText(Tensor.zeros(2, 6))).hasMessageContaining("encodeText").hasMessageContaining("(2, 6)");
    }

    @Test
    void parameterGradientsMatchFiniteDifferences() {
        SimpleMultimodalModel m = new SimpleMultimodalModel(5, 4, 3, 6, 7);
        Rng rng = new Rng(8);
        Tensor x = Tensor.randn(rng, 0f, 1f, 3, 5);
        Tensor y = Tensor.randn(rng, 0f, 1f, 3, 4);
        List<Tensor> inputs = new ArrayList<>();
        for (Parameter p : m.namedParameters().values()) inputs.add(p.value());
        GradCheck.Result r = GradCheck.check(in -> m.computeSimilarity(m.encodeImage(x), m.encodeText(y)),
                inputs.toArray(Tensor[]::new), 1e-2, 2e-3, 2e-2);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    @Test
    void saveAndLoadRoundTrip() throws Exception {
        SimpleMultimodalModel a = new SimpleMultimodalModel(6, 5, 4, 8, 1);
        SimpleMultimodalModel b = new SimpleMultimodalModel(6, 5, 4, 8, 2);
        Path file = dir.resolve("simple.safetensors");
        a.save(file);
        b.load(file);
        Tensor x = Tensor.randn(new Rng(9), 0f, 1f, 2, 6);
        assertThat(b.encodeImage(x).toArray()).containsExactly(a.encodeImage(x).toArray());
    }
}
