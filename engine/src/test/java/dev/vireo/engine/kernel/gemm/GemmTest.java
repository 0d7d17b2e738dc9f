package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.KernelProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GEMM family: the implementation the provider picks and the argument checks of {@link GemmKernel#multiply}. */
class GemmTest {

    private static final GemmKernel GEMM = KernelProvider.get().gemm();

    @Test
    void followsTheChosenKernels() {
        boolean scalar = KernelProvider.get().isScalar();
        assertThat(GEMM.name()).isEqualTo(scalar ? "scalar" : "packed-" + KernelProvider.preferredBits());
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        float[] c = new float[6], a = new float[6], b = new float[5];
        assertThatThrownBy(() -> GEMM.multiply(c, 0, 3, a, 0, 3, false, b, 0, 3, false, 2, 3, 3, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B").hasMessageContaining("past its array of 5");
        assertThatThrownBy(() -> GEMM.multiply(c, 0, 2, a, 0, 3, false, new float[9], 0, 3, false, 2, 3, 3, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C").hasMessageContaining("row stride 2");
    }

    @Test
    void multipliesEmptyAndZeroDepthProblems() {
        float[] c = {5f, 5f};
        GEMM.multiply(c, 0, 2, new float[0], 0, 1, false, new float[0], 0, 2, false, 1, 2, 0, false);
        assertThat(c).containsExactly(0f, 0f);
        GEMM.multiply(new float[0], 0, 1, new float[0], 0, 1, false, new float[0], 0, 1, false, 0, 0, 4, false);
    }
}
