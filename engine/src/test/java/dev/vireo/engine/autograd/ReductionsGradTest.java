package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vireo.engine.autograd.OpsTesting.check;
import static dev.vireo.engine.autograd.OpsTesting.param;
import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** Gradient checks and hand-computed values of sum, mean, max, logsumexp and var. */
class ReductionsGradTest {
    private final Rng rng = new Rng(11);

    /** Axis sets: last, first, middle, adjacent pair, scattered pair (a permuted copy), negative, all. */
    private static final int[][] AXES = {{2}, {0}, {1}, {1, 2}, {0, 2}, {-1, 0}, {}};

    @Test
    void sumAndMeanGradients() {
        for (int[] axes : AXES) {
            for (boolean keep : new boolean[] {false, true}) {
                check(t -> t[0].sum(axes, keep), param(rng, 2, 3, 4));
                check(t -> t[0].mean(axes, keep), param(rng, 2, 3, 4));
            }
        }
        check(t -> t[0].sum(), param(rng, 3, 5));
        check(t -> t[0].mean(), param(rng, 7));
    }

    @Test
    void maxGradientGoesToTheMaximum() {
        for (int[] axes : AXES) {
            for (boolean keep : new boolean[] {false, true}) {
                check(t -> t[0].max(axes, keep), separated(2, 3, 4));
            }
        }
    }

    @Test
    void logsumexpAndVarGradients() {
        for (int[] axes : AXES) {
            for (boolean keep : new boolean[] {false, true}) {
                check(t -> t[0].logsumexp(axes, keep), param(rng, 2, 3, 4));
                check(t -> t[0].var(axes, 1, keep), param(rng, 2, 3, 4));
                check(t -> t[0].var(axes, 0, keep), param(rng, 2, 3, 4));
            }
        }
    }

    @Test
    void wideInnerAxisUsesSeveralBlocks() {
        // 150 inner columns: three blocks of the reduction loop
        check(t -> t[0].sum(new int[] {0}, false), param(rng, 3, 150));
        check(t -> t[0].var(new int[] {0}, 1, true), param(rng, 3, 150));
        check(t -> t[0].max(new int[] {0}, false), separated(3, 150));
    }

    @Test
    void handComputedValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(x.sum().item()).isEqualTo(21f);
        assertAllClose("x.sum(0)", new float[] {5, 7, 9}, x.sum(0).toArray(), 0, 0);
        assertAllClose("x.sum(1)", new float[] {6, 15}, x.sum(1).toArray(), 0, 0);
        assertThat(x.sum(new int[] {1}, true).shape()).containsExactly(2, 1);
        assertAllClose("x.mean(1)", new float[] {2, 5}, x.mean(1).toArray(), 0, 1e-7);
        assertAllClose("x.max(0)", new float[] {4, 5, 6}, x.max(0).toArray(), 0, 0);
        assertAllClose("x.var(1)", new float[] {1, 1}, x.var(1).toArray(), 0, 1e-6);
        assertAllClose("biased x.var(1)", new float[] {2f / 3, 2f / 3}, x.var(new int[] {1}, 0, false).toArray(), 0, 1e-6);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertAllClose("x.logsumexp(1)", new float[] {(float) lse, (float) (lse + 3)}, x.logsumexp(1).toArray(), 0, 1e-6);
        assertThat(x.sum(0, 1).shape()).isEmpty();
    }

    @Test
    void maxPicksTheFirstOfTiesAndPropagatesNaN() {
        Tensor x = Tensor.of(new float[] {3, 1, 3, 2}, 4).requiresGrad(true);
        x.max(0).backward();
        assertAllClose("x.grad()", new float[] {1, 0, 0, 0}, x.grad().toArray(), 0, 0);
        Tensor nan = Tensor.of(new float[] {1, Float.NaN, 5}, 3);
        assertThat(nan.max(0).item()).isNaN();
        Tensor cols = Tensor.of(new float[] {1, Float.NaN, 5, 0}, 2, 2);
        assertThat(cols.max(0).toArray()[1]).isNaN();
    }

    @Test
    void logsumexpIsStableForLargeAndInfiniteValues() {
        Tensor big = Tensor.of(new float[] {1000f, 1000f}, 2);
        assertThat(big.logsumexp(0).item()).isCloseTo(1000f + (float) Math.log(2), offset(1e-3f));
        Tensor allNegInf = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2);
        assertThat(allNegInf.logsumexp(0).item()).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void varOfOneElementIsNaNLikeTorch() {
        assertThat(Tensor.of(new float[] {4f}, 1).var(0).item()).isNaN();
    }

    @Test
    void errorsNameTheOp() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> x.sum(0, 0)).hasMessageContaining("sum").hasMessageContaining("repeated");
        assertThatThrownBy(() -> x.mean(2)).hasMessageContaining("mean").hasMessageContaining("axis 2");
        assertThatThrownBy(() -> Tensor.zeros(0, 3).max(0)).hasMessageContaining("max");
        assertThatThrownBy(() -> x.var(new int[] {0}, -1, false)).hasMessageContaining("correction");
    }

    /** Distinct values at least 0.1 apart, shuffled, so a ±eps nudge never changes the maximum. */
    private Tensor separated(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.shuffle(order);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = order[i] * 0.1f - n * 0.05f;
        return Tensor.of(v, shape).requiresGrad(true);
    }
}
