package dev.vireo.engine.kernel;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * VectorKernels against ScalarKernels: every vector width (128/256/512 bits, on any CPU), sizes 0, 1,
 * around each lane count, primes and one large size, non-zero offsets, and NaN/Inf inputs.
 */
class KernelParityTest {
    private static final ScalarKernels REF = new ScalarKernels();
    private static final int OFFSET = 3;

    static List<Integer> sizes() {
        var s = new java.util.TreeSet<Integer>(List.of(0, 1, 2, 3, 7, 13, 31, 37, 61, 97, 257, 1009, 4099));
        for (int lanes : new int[] {4, 8, 16}) for (int k = 1; k <= 3; k++) for (int d = -1; d <= 1; d++) s.add(k * lanes + d);
        return new ArrayList<>(s);
    }

    static Stream<Arguments> cases() {
        return IntStream.of(128, 256, 512).boxed()
                .flatMap(bits -> sizes().stream().map(n -> Arguments.of(bits, n)));
    }

    static float[] random(Rng rng, int n, float scale) {
        float[] a = new float[n + OFFSET];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian() * scale;
        return a;
    }

    @ParameterizedTest(name = "{0} bits, n={1}")
    @MethodSource("cases")
    void levelOneOps(int bits, int n) {
        Kernels vec = KernelProvider.vector(bits);
        Rng rng = new Rng(n * 31L + bits);
        float[] a = random(rng, n, 1f), b = random(rng, n, 1f);
        for (int i = 0; i < b.length; i++) if (Math.abs(b[i]) < 1e-3f) b[i] = 1f;
        double tol = 1e-6 * Math.sqrt(n + 1);
        assertThat(vec.dot(a, OFFSET, b, OFFSET, n)).isCloseTo(REF.dot(a, OFFSET, b, OFFSET, n), org.assertj.core.data.Offset.offset((float) (1e-5 * n + 1e-6)));
        assertThat(vec.sum(a, OFFSET, n)).isCloseTo(REF.sum(a, OFFSET, n), org.assertj.core.data.Offset.offset((float) (1e-5 * n + 1e-6)));
        assertThat(vec.max(a, OFFSET, n)).isEqualTo(REF.max(a, OFFSET, n));

        float[] out = new float[n + OFFSET], ref = new float[n + OFFSET];
        vec.add(out, OFFSET, a, OFFSET, b, OFFSET, n);
        REF.add(ref, OFFSET, a, OFFSET, b, OFFSET, n);
        assertAllClose("add", ref, out, 0, 0);
        vec.sub(out, OFFSET, a, OFFSET, b, OFFSET, n);
        REF.sub(ref, OFFSET, a, OFFSET, b, OFFSET, n);
        assertAllClose("sub", ref, out, 0, 0);
        vec.mul(out, OFFSET, a, OFFSET, b, OFFSET, n);
        REF.mul(ref, OFFSET, a, OFFSET, b, OFFSET, n);
        assertAllClose("mul", ref, out, 0, 0);
        vec.div(out, OFFSET, a, OFFSET, b, OFFSET, n);
        REF.div(ref, OFFSET, a, OFFSET, b, OFFSET, n);
        assertAllClose("div", ref, out, 0, 1e-6);
        vec.affine(out, OFFSET, a, OFFSET, 1.5f, -0.25f, n);
        REF.affine(ref, OFFSET, a, OFFSET, 1.5f, -0.25f, n);
        assertAllClose("affine", ref, out, 1e-7, 1e-6);
        float[] y1 = b.clone(), y2 = b.clone();
        vec.axpy(0.75f, a, OFFSET, y1, OFFSET, n);
        REF.axpy(0.75f, a, OFFSET, y2, OFFSET, n);
        assertAllClose("axpy", y2, y1, 1e-7, 1e-6);
        assertThat(tol).isPositive();
    }

    @ParameterizedTest(name = "{0} bits, n={1}")
    @MethodSource("cases")
    void pointwiseFunctionsAndDerivatives(int bits, int n) {
        Kernels vec = KernelProvider.vector(bits);
        float[] x = random(new Rng(n + 7L * bits), n, 3f);
        float[] g = random(new Rng(n + 11L * bits), n, 1f);
        for (UnaryOp op : UnaryOp.values()) {
            float[] out = new float[n + OFFSET], ref = new float[n + OFFSET];
            vec.unary(op, out, OFFSET, x, OFFSET, n);
            REF.unary(op, ref, OFFSET, x, OFFSET, n);
            assertAllClose(op + " forward", ref, out, 2e-6, 2e-6);
            vec.unaryBackward(op, out, OFFSET, x, OFFSET, g, OFFSET, n);
            REF.unaryBackward(op, ref, OFFSET, x, OFFSET, g, OFFSET, n);
            assertAllClose(op + " backward", ref, out, 5e-6, 5e-6);
            for (Kernels k : new Kernels[] {vec, REF}) { // gradIn and gradOut the same array
                float[] inPlace = g.clone(), apart = new float[g.length];
                k.unaryBackward(op, apart, OFFSET, x, OFFSET, g, OFFSET, n);
                k.unaryBackward(op, inPlace, OFFSET, x, OFFSET, inPlace, OFFSET, n);
                assertAllClose(op + " backward in place", java.util.Arrays.copyOfRange(apart, OFFSET, OFFSET + n), java.util.Arrays.copyOfRange(inPlace, OFFSET, OFFSET + n), 0, 0);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, n={1}")
    @MethodSource("cases")
    void rowKernels(int bits, int n) {
        if (n == 0) return;
        Kernels vec = KernelProvider.vector(bits);
        Rng rng = new Rng(n + 13L * bits);
        float[] x = random(rng, n, 4f), dy = random(rng, n, 1f);
        float[] gamma = random(rng, n, 1f), beta = random(rng, n, 1f);
        float[] out = new float[n + OFFSET], ref = new float[n + OFFSET];
        vec.softmaxRow(out, OFFSET, x, OFFSET, n);
        REF.softmaxRow(ref, OFFSET, x, OFFSET, n);
        assertAllClose("softmax", ref, out, 1e-7, 1e-5);
        vec.logSoftmaxRow(out, OFFSET, x, OFFSET, n);
        REF.logSoftmaxRow(ref, OFFSET, x, OFFSET, n);
        assertAllClose("logSoftmax", ref, out, 1e-5, 1e-5);

        float[] g = java.util.Arrays.copyOfRange(gamma, OFFSET, OFFSET + n), bt = java.util.Arrays.copyOfRange(beta, OFFSET, OFFSET + n);
        float[] st1 = new float[2], st2 = new float[2];
        vec.layerNormRow(out, OFFSET, x, OFFSET, g, bt, n, 1e-5f, st1, 0);
        REF.layerNormRow(ref, OFFSET, x, OFFSET, g, bt, n, 1e-5f, st2, 0);
        assertAllClose("layerNorm", ref, out, 1e-5, 1e-4);
        assertAllClose("layerNorm stats", st2, st1, 1e-5, 1e-4);
        float[] dg1 = new float[n], dg2 = new float[n], db1 = new float[n], db2 = new float[n];
        vec.layerNormBackwardRow(out, OFFSET, dy, OFFSET, x, OFFSET, g, dg1, db1, n, st2, 0);
        REF.layerNormBackwardRow(ref, OFFSET, dy, OFFSET, x, OFFSET, g, dg2, db2, n, st2, 0);
        assertAllClose("layerNorm dx", ref, out, 1e-4, 1e-4);
        assertAllClose("layerNorm dgamma", dg2, dg1, 1e-5, 1e-4);
        assertAllClose("layerNorm dbeta", db2, db1, 1e-6, 1e-5);
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void nanAndInfinityPropagate(int bits) {
        Kernels vec = KernelProvider.vector(bits);
        int n = 37;
        float[] x = random(new Rng(5), n, 1f);
        x[OFFSET + 2] = Float.NaN;
        x[OFFSET + 20] = Float.POSITIVE_INFINITY;
        x[OFFSET + 33] = Float.NEGATIVE_INFINITY;
        assertThat(vec.max(x, OFFSET, n)).isNaN();
        assertThat(vec.sum(x, OFFSET, n)).isNaN();
        float[] ones = new float[n + OFFSET];
        java.util.Arrays.fill(ones, 1f);
        float[] out = new float[n + OFFSET], ref = new float[n + OFFSET];
        vec.mul(out, OFFSET, x, OFFSET, ones, OFFSET, n);
        REF.mul(ref, OFFSET, x, OFFSET, ones, OFFSET, n);
        assertAllClose("mul with NaN/Inf", ref, out, 0, 0);
        for (UnaryOp op : UnaryOp.values()) {
            vec.unary(op, out, OFFSET, x, OFFSET, n);
            assertThat(out[OFFSET + 2]).as(op + "(NaN)").isNaN();
        }
        vec.unary(UnaryOp.RELU, out, OFFSET, x, OFFSET, n);
        assertThat(out[OFFSET + 20]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(out[OFFSET + 33]).isEqualTo(0f);
        vec.softmaxRow(out, OFFSET, x, OFFSET, n);
        assertThat(out[OFFSET]).isNaN();
        float[] big = {1000f, 0f, -1000f};
        vec.softmaxRow(out, 0, big, 0, 3);
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[2]).isEqualTo(0f);
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void expUnderflowsGraduallyThenToPlusZero(int bits) {
        Kernels vec = KernelProvider.vector(bits);
        // below -105 the vector exp zeroes lanes by a blend (no underflowing multiply); above, subnormals as before
        float[] x = {Float.NEGATIVE_INFINITY, -1e30f, -1000f, -110f, -105.5f, -105.01f, -104.5f, -103.5f, -100f, -95f,
                     -90f, -87.5f, -87f, -80f, 0f, 88f};
        float[] out = new float[x.length], ref = new float[x.length];
        vec.unary(UnaryOp.EXP, out, 0, x, 0, x.length);
        REF.unary(UnaryOp.EXP, ref, 0, x, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            if (x[i] < -105f) assertThat(Float.floatToRawIntBits(out[i])).as("exp(" + x[i] + ")").isZero();
            // within 2 ulp of Math.exp, where an ulp of a subnormal is the smallest subnormal
            assertThat((double) out[i]).as("exp(" + x[i] + ")").isCloseTo((double) ref[i], within(2.0 * Math.ulp(ref[i]) + 2.0 * Float.MIN_VALUE));
        }
    }

    static IntStream widths() {
        return IntStream.of(128, 256, 512);
    }

    @Test
    void providerHonoursForcedChoice() {
        String mode = System.getProperty("vireo.kernels", "auto");
        Kernels k = KernelProvider.kernels();
        if (mode.equals("scalar")) assertThat(k).isInstanceOf(ScalarKernels.class);
        else assertThat(k.name()).startsWith("vector-");
    }
}
