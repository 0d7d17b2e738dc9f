package dev.vireo.engine.kernel.optim;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.vireo.engine.kernel.ProviderParity.assertArrayWritingProviders;
import static dev.vireo.engine.testing.Threads.withThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The fused AdamW: every width bit-identical to the scalar reference, the formula by hand, offsets, groups, threads. */
class AdamWStepTest {

    static List<KernelProvider> kernels() {
        return KernelProvider.all();
    }

    /** One step over one parameter on the chosen kernels. */
    private static void step(float[] p, float[] g, float[] m, float[] v, int off, int n, double lr, double b1, double b2,
                             double eps, double wd, long step) {
        AdamWStep.stepAll(KernelProvider.get().optimizer(), List.of(new AdamWStep.Slot(p, off, g, m, v, off, n, lr, wd)), b1, b2, eps, step);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 97, 1000})
    void everyProviderMatchesTheReferenceBitForBit(int n) {
        assertArrayWritingProviders("adamw, three steps", state(n, 1), (p, s) -> {
            for (int step = 1; step <= 3; step++) {
                p.optimizer().adamw(s[0], 3, s[1], s[2], s[3], 2, n, 0.999f, 0.9f, 0.1f, 0.999f, 0.001f, 1e-8f, 0.01f, 0.97f);
            }
        }, 0, 0);
    }

    @Test
    void firstStepFollowsTheFormula() {
        float[] p = {1f, -2f}, g = {0.5f, 0.25f}, m = new float[2], v = new float[2];
        double lr = 0.1, wd = 0.5;
        step(p, g, m, v, 0, 2, lr, 0.9, 0.999, 1e-8, wd, 1);
        for (int i = 0; i < 2; i++) {
            float p0 = i == 0 ? 1f : -2f, gi = i == 0 ? 0.5f : 0.25f;
            double mHat = (0.1 * gi) / 0.1, vHat = (0.001 * gi * gi) / 0.001;
            double expected = p0 * (1 - lr * wd) - lr * mHat / (Math.sqrt(vHat) + 1e-8);
            assertThat((double) p[i]).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void groupsUseTheirOwnRateAndDecayAndThreadsDoNotMatter() {
        float[][] one = runGroups(1), two = runGroups(2);
        for (int i = 0; i < one.length; i++) assertThat(two[i]).containsExactly(one[i]);
        float[][] single = state(70_000, 9);
        step(single[0], single[1], single[2], single[3], 0, 70_000, 1e-3, 0.9, 0.999, 1e-8, 0, 1);
        assertThat(one[4]).containsExactly(single[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void paramOffsetIsIndependentOfTheStateOffset(KernelProvider kp) {
        int n = 37, pOff = 11;
        float[][] aligned = state(n, 3), shifted = state(n, 3);
        float[] param = new float[pOff + n + 4]; // the parameter as a view into a larger storage
        System.arraycopy(aligned[0], 0, param, pOff, n);
        for (int step = 1; step <= 2; step++) {
            AdamWStep.stepAll(kp.optimizer(), List.of(new AdamWStep.Slot(aligned[0], 0, aligned[1], aligned[2], aligned[3], 0, n, 1e-2, 0.1)),
                    0.9, 0.999, 1e-8, step);
            AdamWStep.stepAll(kp.optimizer(), List.of(new AdamWStep.Slot(param, pOff, shifted[1], shifted[2], shifted[3], 0, n, 1e-2, 0.1)),
                    0.9, 0.999, 1e-8, step);
        }
        assertThat(Arrays.copyOfRange(param, pOff, pOff + n)).containsExactly(Arrays.copyOf(aligned[0], n));
        assertThat(shifted[2]).containsExactly(aligned[2]);
        assertThat(shifted[3]).containsExactly(aligned[3]);
        assertThat(param[pOff - 1]).isZero();
        assertThat(param[pOff + n]).isZero();
    }

    @Test
    void slotRejectsRangesOutsideItsArrays() {
        float[] big = new float[10], small = new float[4];
        assertThatThrownBy(() -> new AdamWStep.Slot(big, 8, big, big, big, 0, 4, 1e-3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("param range [8, 12)");
        assertThatThrownBy(() -> new AdamWStep.Slot(big, 6, small, big, big, 1, 4, 1e-3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state range [1, 5)");
        new AdamWStep.Slot(big, 6, small, small, small, 0, 4, 1e-3, 0); // fits
    }

    private static float[][] runGroups(int threads) {
        return withThreads(threads, () -> {
            float[][] a = state(40_000, 7), b = state(70_000, 9);
            List<AdamWStep.Slot> slots = new ArrayList<>();
            slots.add(new AdamWStep.Slot(a[0], 5, a[1], a[2], a[3], 5, 39_990, 3e-4, 0.1));
            slots.add(new AdamWStep.Slot(b[0], 0, b[1], b[2], b[3], 0, 70_000, 1e-3, 0));
            AdamWStep.stepAll(KernelProvider.get().optimizer(), slots, 0.9, 0.999, 1e-8, 1);
            return new float[][] {a[0], a[2], a[3], b[2], b[0]};
        });
    }

    private static float[][] state(int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] s = new float[4][n + 4];
        for (int i = 0; i < n + 4; i++) {
            s[0][i] = (float) rng.nextGaussian();
            s[1][i] = (float) rng.nextGaussian();
            s[2][i] = 0.1f * (float) rng.nextGaussian();
            s[3][i] = 0.01f * rng.nextFloat();
        }
        return s;
    }
}
