package dev.vireo.models.clip;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.ClipConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WiSE-FT's interpolation: the ends are the two models to the bit, the middle is the weighted mean, the inputs stay. */
class WiseFtTest {
    static final ClipConfig TINY = ClipImageClassifierTest.MICRO;

    static ClipImageClassifier zeroShot() {
        return ClipImageClassifier.zeroShot(new ClipModel(TINY, 1), ClipImageClassifierTest.unitRows(4, TINY.embedDim(), 2), 4);
    }

    /** The zero-shot model with every weight moved (a stand-in for fine-tuning), a −0 among them. */
    static ClipImageClassifier moved(ClipImageClassifier start) {
        ClipImageClassifier out = ClipImageClassifier.sameShapeAs(start);
        Rng rng = new Rng(5);
        out.namedParameters().forEach((name, p) -> {
            float[] v = p.value().toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.1 * rng.nextGaussian());
            v[0] = -0f;
            p.copyFrom(name, Tensor.of(v, p.shape()));
        });
        return out;
    }

    @Test
    void endsAreTheZeroShotAndFineTunedModelsToTheBit() {
        ClipImageClassifier zs = zeroShot(), ft = moved(zs);
        Tensor x = ClipImageClassifierTest.images(TINY, 3, 6);
        try (var ignored = GradMode.noGrad()) {
            for (var end : Map.of(0.0, zs, 1.0, ft).entrySet()) {
                ClipImageClassifier mixed = WiseFt.interpolate(zs, ft, end.getKey());
                assertSameWeights(mixed, end.getValue());
                assertThat(Arrays.equals(mixed.forward(x).toArray(), end.getValue().forward(x).toArray())).as("logits at α=" + end.getKey()).isTrue();
            }
        }
    }

    @Test
    void middleIsTheWeightedMeanAndTheInputsStay() {
        ClipImageClassifier zs = zeroShot(), ft = moved(zs);
        float[] zsBefore = zs.headWeight().value().toArray(), ftBefore = ft.headWeight().value().toArray();
        ClipImageClassifier mixed = WiseFt.interpolate(zs, ft, 0.25);
        Map<String, Parameter> a = zs.namedParameters(), b = ft.namedParameters();
        mixed.namedParameters().forEach((name, p) -> {
            float[] m = p.value().toArray(), x = a.get(name).value().toArray(), y = b.get(name).value().toArray();
            for (int i = 0; i < m.length; i++) assertThat(m[i]).as(name).isEqualTo(0.75f * x[i] + 0.25f * y[i]);
        });
        assertThat(zs.headWeight().value().toArray()).containsExactly(zsBefore);
        assertThat(ft.headWeight().value().toArray()).containsExactly(ftBefore);
    }

    @Test
    void refusesAlphaOutsideTheUnitIntervalAndDifferentShapes() {
        ClipImageClassifier zs = zeroShot();
        assertThatThrownBy(() -> WiseFt.interpolate(zs, zs, 1.5)).hasMessageContaining("alpha must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> WiseFt.interpolate(zs, zs, Double.NaN)).hasMessageContaining("alpha must be in [0, 1]");
        ClipImageClassifier other = ClipImageClassifier.zeroShot(new ClipModel(TINY, 1), ClipImageClassifierTest.unitRows(3, TINY.embedDim(), 2), 3);
        assertThatThrownBy(() -> WiseFt.interpolate(zs, other, 0.5)).hasMessageContaining("head.weight is (4, 64) in one and (3, 64) in the other");
    }

    private static void assertSameWeights(ClipImageClassifier actual, ClipImageClassifier expected) {
        Map<String, Parameter> e = expected.namedParameters();
        actual.namedParameters().forEach((name, p) ->
                assertThat(Arrays.equals(p.value().toArray(), e.get(name).value().toArray())).as(name + " to the bit").isTrue());
    }
}
