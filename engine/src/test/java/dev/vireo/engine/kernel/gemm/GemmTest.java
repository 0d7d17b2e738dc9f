package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.ScalarKernels;
import dev.vireo.engine.kernel.ScalarMath;
import dev.vireo.engine.kernel.UnaryOp;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GEMM façade: the implementation it picks, its argument checks, and the fused linear. */
class GemmTest {

    @Test
    void followsTheChosenKernels() {
        boolean scalar = KernelProvider.kernels() instanceof ScalarKernels;
        assertThat(Gemm.kernel().name()).isEqualTo(scalar ? "scalar" : "packed-" + KernelProvider.preferredBits());
    }

    @Test
    void linearIsXTimesWeightTransposedPlusBiasThenActivation() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 0f, 1f, 2, 5, 7);      // (B, T, in)
        Tensor w = Tensor.randn(rng, 0f, 0.3f, 9, 7);       // (out, in)
        Tensor b = Tensor.randn(rng, 0f, 1f, 9);            // (out)
        for (UnaryOp act : new UnaryOp[] {null, UnaryOp.GELU, UnaryOp.QUICK_GELU}) {
            Tensor y = Gemm.linear(x, w, b, act);           // (B, T, out)
            assertThat(y.shape()).containsExactly(2, 5, 9);
            float[] xs = x.toArray(), ws = w.toArray(), bs = b.toArray(), ys = y.toArray();
            for (int r = 0; r < 10; r++) {
                for (int o = 0; o < 9; o++) {
                    double s = bs[o];
                    for (int i = 0; i < 7; i++) s += (double) xs[r * 7 + i] * ws[o * 7 + i];
                    float expected = act == null ? (float) s : ScalarMath.apply(act, (float) s);
                    assertThat(ys[r * 9 + o]).as("y[%d, %d] with %s", r, o, act).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
    }

    @Test
    void linearReadsATransposedWeightViewInPlace() {
        Rng rng = new Rng(8);
        Tensor x = Tensor.randn(rng, 0f, 1f, 4, 6);             // (N, in)
        Tensor wt = Tensor.randn(rng, 0f, 1f, 6, 3);            // (in, out)
        Tensor viaView = Gemm.linear(x, wt.transpose(0, 1), null, null); // weight (out, in) as a view
        Tensor direct = x.matmul(wt);                           // (N, out)
        float[] a = viaView.toArray(), e = direct.toArray();
        assertAllClose("linear through a transposed weight view", e, a, 1e-5f, 0);
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        float[] c = new float[6], a = new float[6], b = new float[5];
        assertThatThrownBy(() -> Gemm.multiply(c, 0, 3, a, 0, 3, false, b, 0, 3, false, 2, 3, 3, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B").hasMessageContaining("past its array of 5");
        assertThatThrownBy(() -> Gemm.multiply(c, 0, 2, a, 0, 3, false, new float[9], 0, 3, false, 2, 3, 3, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C").hasMessageContaining("row stride 2");
        assertThatThrownBy(() -> Gemm.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 3)").hasMessageContaining("(4, 5)");
    }

    @Test
    void multipliesEmptyAndZeroDepthProblems() {
        float[] c = {5f, 5f};
        Gemm.multiply(c, 0, 2, new float[0], 0, 1, false, new float[0], 0, 2, false, 1, 2, 0, false);
        assertThat(c).containsExactly(0f, 0f);
        Gemm.multiply(new float[0], 0, 1, new float[0], 0, 1, false, new float[0], 0, 1, false, 0, 0, 4, false);
    }
}
