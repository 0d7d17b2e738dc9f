package dev.vireo.engine.kernel.row;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.ProviderParity;
import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static dev.vireo.engine.kernel.ProviderParity.assertArrayWritingProviders;
import static dev.vireo.engine.kernel.ProviderParity.assertFloatReturningProviders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The row family of every provider against the scalar reference, one line per function: sizes 0, 1,
 * around each lane count, primes and one large size, a non-zero offset, and NaN/Inf inputs. Outputs
 * start as {@link #GUARD} and end at the row's end, so a write before the offset differs from the
 * reference and one past the end throws.
 */
class RowKernelsParityTest {
    private static final int OFF = 3;
    /** What output cells hold before a call: no function computes it from these inputs. */
    private static final float GUARD = -1234.5f;

    static List<Integer> sizes() {
        var s = new TreeSet<>(List.of(0, 1, 2, 3, 7, 13, 31, 37, 61, 97, 257, 1009, 4099));
        for (int lanes : new int[] {4, 8, 16}) for (int k = 1; k <= 3; k++) for (int d = -1; d <= 1; d++) s.add(k * lanes + d);
        return new ArrayList<>(s);
    }

    /** An output row of n at offset OFF, every cell GUARD. */
    static float[] guarded(int n) {
        float[] a = new float[n + OFF];
        Arrays.fill(a, GUARD);
        return a;
    }

    static float[] random(long seed, int n, float scale) {
        Rng rng = new Rng(seed);
        float[] a = new float[n + OFF];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian() * scale;
        return a;
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void reductionsAndArithmetic(int n) {
        float[] a = random(n, n, 1f), b = random(n + 1L, n, 1f), out = guarded(n);
        for (int i = 0; i < b.length; i++) if (Math.abs(b[i]) < 1e-3f) b[i] = 1f;
        double sumTol = 1e-5 * n + 1e-6;
        assertFloatReturningProviders("dot", p -> p.rows().dot(a, OFF, b, OFF, n), sumTol, 0);
        assertFloatReturningProviders("sum", p -> p.rows().sum(a, OFF, n), sumTol, 0);
        assertFloatReturningProviders("max", p -> p.rows().max(a, OFF, n), 0, 0);
        assertArrayWritingProviders("add", out, (p, o) -> p.rows().add(o, OFF, a, OFF, b, OFF, n), 0, 0);
        assertArrayWritingProviders("sub", out, (p, o) -> p.rows().sub(o, OFF, a, OFF, b, OFF, n), 0, 0);
        assertArrayWritingProviders("mul", out, (p, o) -> p.rows().mul(o, OFF, a, OFF, b, OFF, n), 0, 0);
        assertArrayWritingProviders("div", out, (p, o) -> p.rows().div(o, OFF, a, OFF, b, OFF, n), 0, 1e-6);
        assertArrayWritingProviders("affine", out, (p, o) -> p.rows().affine(o, OFF, a, OFF, 1.5f, -0.25f, n), 1e-7, 1e-6);
        assertArrayWritingProviders("axpy", b, (p, y) -> p.rows().axpy(0.75f, a, OFF, y, OFF, n), 1e-7, 1e-6);
        assertArrayWritingProviders("scale", a, (p, x) -> p.rows().scale(x, OFF, n, -0.7f), 0, 0);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void pointwiseFunctionsAndDerivatives(int n) {
        float[] x = random(n + 7L, n, 3f), g = random(n + 11L, n, 1f), out = guarded(n);
        for (UnaryOp op : UnaryOp.values()) {
            assertArrayWritingProviders(op + " forward", out, (p, o) -> p.rows().unary(op, o, OFF, x, OFF, n), 2e-6, 2e-6);
            assertArrayWritingProviders(op + " backward", out, (p, o) -> p.rows().unaryBackward(op, o, OFF, x, OFF, g, OFF, n), 5e-6, 5e-6);
            assertArrayWritingProviders(op + " backward in place", g, (p, gi) -> p.rows().unaryBackward(op, gi, OFF, x, OFF, gi, OFF, n), 5e-6, 5e-6);
        }
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void rowOps(int n) {
        float[] x = random(n + 13L, n, 4f), dy = random(n + 17L, n, 1f), out = guarded(n);
        double sumTol = 1e-5 * Math.max(1, n);
        assertArrayWritingProviders("softmax", out, (p, o) -> p.rows().softmaxRow(o, OFF, x, OFF, n), 1e-7, 1e-5);
        assertArrayWritingProviders("logSoftmax", out, (p, o) -> p.rows().logSoftmaxRow(o, OFF, x, OFF, n), 1e-5, 1e-5);
        assertFloatReturningProviders("expShiftSum", p -> p.rows().expShiftSum(x, OFF, n, 0.5f), sumTol, 1e-6);
        assertArrayWritingProviders("expShift", out, (p, o) -> p.rows().expShift(o, OFF, x, OFF, n, 0.3f), 0, 1e-6);
        assertArrayWritingProviders("expShift in place", x, (p, xi) -> p.rows().expShift(xi, OFF, xi, OFF, n, 0.3f), 0, 1e-6);
        assertFloatReturningProviders("expShift's sum", p -> p.rows().expShift(new float[n + OFF], OFF, x, OFF, n, 0.3f), sumTol, 1e-6);
        assertArrayWritingProviders("softmaxGradInPlace", dy, (p, d) -> p.rows().softmaxGradInPlace(d, OFF, x, OFF, n, 0.2f, 0.5f), 1e-6, 1e-5);
        float[] g = Arrays.copyOfRange(random(n + 19L, n, 1f), OFF, OFF + n), bt = Arrays.copyOfRange(random(n + 23L, n, 1f), OFF, OFF + n);
        float[][] normOut = {guarded(n), new float[2]};
        assertArrayWritingProviders("layerNorm (y, stats)", normOut,
                (p, o) -> p.rows().layerNormRow(o[0], OFF, x, OFF, g, bt, n, 1e-5f, o[1], 0), 1e-5, 1e-4);
        float[] stats = new float[2];
        ProviderParity.REFERENCE.rows().layerNormRow(new float[n + OFF], OFF, x, OFF, g, bt, n, 1e-5f, stats, 0);
        float[][] grads = {guarded(n), new float[n], new float[n]};
        assertArrayWritingProviders("layerNorm backward (dx, dγ, dβ)", grads,
                (p, o) -> p.rows().layerNormBackwardRow(o[0], OFF, dy, OFF, x, OFF, g, o[1], o[2], n, stats, 0), 1e-4, 1e-4);
    }

    /**
     * Column sums are defined by their order (rows added one after the other), so every provider must
     * give the reference's bits: n columns of a row-major block with a wider stride, at an offset,
     * with NaN and infinities in some columns.
     */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void columnSumsAreTheReferenceBits(int n) {
        for (int rows : new int[] {0, 1, 3, 17}) {
            int ld = n + 5;
            float[] x = random(n * 31L + rows, rows * ld, 2f), sums = random(n + 29L, n, 1f);
            if (rows > 1 && n > 2) {
                x[OFF + ld + 1] = Float.NaN;
                x[OFF + n - 1] = Float.POSITIVE_INFINITY;
            }
            assertArrayWritingProviders("addColumnSums rows=" + rows, sums,
                    (p, s) -> p.rows().addColumnSums(s, OFF, x, OFF, ld, rows, n), 0, 0);
            float[] byRows = sums.clone();
            for (int r = 0; r < rows; r++) ProviderParity.REFERENCE.rows().add(byRows, OFF, byRows, OFF, x, OFF + r * ld, n);
            float[] reference = sums.clone();
            ProviderParity.REFERENCE.rows().addColumnSums(reference, OFF, x, OFF, ld, rows, n);
            assertThat(reference).as("rows=" + rows + ": the reference is the rows added one by one").isEqualTo(byRows);
        }
    }

    /**
     * n = 0 on every provider, the reference too: the arrays end at the offset, so any access at or past
     * it throws, and every cell before it must keep its GUARD; the reductions give their empty values.
     * (The layer norm of an empty row has no defined statistics: only the cells around them are checked.)
     */
    @Test
    void anEmptyRowTouchesNothing() {
        float[] in = guarded(0), in2 = guarded(0), empty = new float[0];
        for (KernelProvider p : KernelProvider.all()) {
            RowKernels k = p.rows();
            assertThat(k.dot(in, OFF, in2, OFF, 0)).as(p + " dot").isZero();
            assertThat(k.sum(in, OFF, 0)).as(p + " sum").isZero();
            assertThat(k.max(in, OFF, 0)).as(p + " max").isEqualTo(Float.NEGATIVE_INFINITY);
            assertThat(k.expShiftSum(in, OFF, 0, 0.5f)).as(p + " expShiftSum").isZero();
            List<float[]> outs = new ArrayList<>();
            for (int i = 0; i < 12; i++) outs.add(guarded(0));
            float[] stats = guarded(2);
            k.add(outs.get(0), OFF, in, OFF, in2, OFF, 0);
            k.sub(outs.get(0), OFF, in, OFF, in2, OFF, 0);
            k.mul(outs.get(0), OFF, in, OFF, in2, OFF, 0);
            k.div(outs.get(0), OFF, in, OFF, in2, OFF, 0);
            k.affine(outs.get(1), OFF, in, OFF, 1.5f, -0.25f, 0);
            k.axpy(0.75f, in, OFF, outs.get(2), OFF, 0);
            k.scale(outs.get(3), OFF, 0, -0.7f);
            k.addColumnSums(outs.get(3), OFF, in, OFF, 1, 4, 0);
            assertThat(k.expShift(outs.get(4), OFF, in, OFF, 0, 0.3f)).as(p + " expShift's sum").isZero();
            k.softmaxGradInPlace(outs.get(5), OFF, in, OFF, 0, 0.2f, 0.5f);
            for (UnaryOp op : UnaryOp.values()) {
                k.unary(op, outs.get(6), OFF, in, OFF, 0);
                k.unaryBackward(op, outs.get(7), OFF, in, OFF, in2, OFF, 0);
            }
            k.softmaxRow(outs.get(8), OFF, in, OFF, 0);
            k.logSoftmaxRow(outs.get(9), OFF, in, OFF, 0);
            k.layerNormRow(outs.get(10), OFF, in, OFF, empty, empty, 0, 1e-5f, stats, OFF);
            k.layerNormBackwardRow(outs.get(11), OFF, in2, OFF, in, OFF, empty, empty, empty, 0, stats, OFF);
            for (int i = 0; i < outs.size(); i++) assertThat(outs.get(i)).as(p + " output " + i).containsOnly(GUARD);
            assertThat(Arrays.copyOf(stats, OFF)).as(p + " before the statistics").containsOnly(GUARD);
            assertThat(in).as(p + " input").containsOnly(GUARD);
            assertThat(in2).as(p + " second input").containsOnly(GUARD);
        }
    }

    @Test
    void nanAndInfinityPropagate() {
        int n = 37;
        float[] x = random(5, n, 1f), ones = new float[n + OFF], out = new float[n + OFF];
        Arrays.fill(ones, 1f);
        x[OFF + 2] = Float.NaN;
        x[OFF + 20] = Float.POSITIVE_INFINITY;
        x[OFF + 33] = Float.NEGATIVE_INFINITY;
        assertArrayWritingProviders("mul with NaN/Inf", out, (p, o) -> p.rows().mul(o, OFF, x, OFF, ones, OFF, n), 0, 0);
        for (KernelProvider p : KernelProvider.all()) {
            RowKernels k = p.rows();
            assertThat(k.max(x, OFF, n)).as(p + " max").isNaN();
            assertThat(k.sum(x, OFF, n)).as(p + " sum").isNaN();
            for (UnaryOp op : UnaryOp.values()) {
                k.unary(op, out, OFF, x, OFF, n);
                assertThat(out[OFF + 2]).as(p + " " + op + "(NaN)").isNaN();
            }
            k.unary(UnaryOp.RELU, out, OFF, x, OFF, n);
            assertThat(out[OFF + 20]).isEqualTo(Float.POSITIVE_INFINITY);
            assertThat(out[OFF + 33]).isEqualTo(0f);
            k.softmaxRow(out, OFF, x, OFF, n);
            assertThat(out[OFF]).as(p + " softmax with a NaN").isNaN();
            float[] big = {1000f, 0f, -1000f};
            k.softmaxRow(out, 0, big, 0, 3);
            assertThat(out[0]).isEqualTo(1f);
            assertThat(out[2]).isEqualTo(0f);
        }
    }

    @Test
    void expUnderflowsGraduallyThenToPlusZero() {
        // below -105 the vector exp zeroes lanes by a blend (no underflowing multiply); above, subnormals as before
        float[] x = {Float.NEGATIVE_INFINITY, -1e30f, -1000f, -110f, -105.5f, -105.01f, -104.5f, -103.5f, -100f, -95f,
                     -90f, -87.5f, -87f, -80f, 0f, 88f};
        float[] ref = new float[x.length];
        ProviderParity.REFERENCE.rows().unary(UnaryOp.EXP, ref, 0, x, 0, x.length);
        for (KernelProvider p : ProviderParity.candidates()) {
            float[] out = new float[x.length];
            p.rows().unary(UnaryOp.EXP, out, 0, x, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                if (x[i] < -105f) assertThat(Float.floatToRawIntBits(out[i])).as(p + " exp(" + x[i] + ")").isZero();
                // within 2 ulp of Math.exp, where an ulp of a subnormal is the smallest subnormal
                assertThat((double) out[i]).as(p + " exp(" + x[i] + ")").isCloseTo((double) ref[i], within(2.0 * Math.ulp(ref[i]) + 2.0 * Float.MIN_VALUE));
            }
        }
    }

    @Test
    void providerHonoursForcedChoice() {
        String mode = System.getProperty("vireo.kernels", "auto");
        if (mode.equals("scalar")) assertThat(KernelProvider.get().isScalar()).isTrue();
        else assertThat(KernelProvider.get().name()).startsWith("vector-");
        assertThat(KernelProvider.all().getFirst().isScalar()).isTrue();
    }
}
