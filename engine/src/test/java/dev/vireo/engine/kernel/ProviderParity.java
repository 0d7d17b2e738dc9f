package dev.vireo.engine.kernel;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;

/**
 * Parity of every kernel provider with the scalar reference, one line per function (Lucene's
 * {@code assertFloatReturningProviders(p -> p.dotProduct(a, b))}): the function runs on the
 * reference and on every vector width, and each result must lie within {@code atol + rtol·|reference|}
 * (NaN matching NaN, infinities matching exactly). Without the Vector API only the reference runs.
 */
public final class ProviderParity {
    /** The specification every other provider is checked against. */
    public static final KernelProvider REFERENCE = KernelProvider.scalar();

    private ProviderParity() {}

    /** Every provider but the reference: the vector kernels at 128, 256 and 512 bits. */
    public static List<KernelProvider> candidates() {
        return KernelProvider.all().stream().filter(p -> !p.isScalar()).toList();
    }

    /** A function returning a number, on every provider. */
    public static void assertFloatReturningProviders(String what, ToDoubleFunction<KernelProvider> f, double atol, double rtol) {
        double want = f.applyAsDouble(REFERENCE);
        for (KernelProvider p : candidates()) {
            double got = f.applyAsDouble(p);
            if (Double.compare(want, got) != 0 && !(Math.abs(got - want) <= atol + rtol * Math.abs(want))) {
                throw new AssertionError(p + " " + what + ": " + got + ", reference " + want + " (|diff| " + Math.abs(got - want)
                        + " > atol " + atol + " + rtol " + rtol + "·|reference|)");
            }
        }
    }

    /**
     * A function writing into arrays: each provider gets fresh copies of {@code outputs} (so in-place
     * functions see the same input) and its arrays must match the reference's, element by element.
     */
    public static void assertArrayWritingProviders(String what, float[][] outputs, BiConsumer<KernelProvider, float[][]> f,
                                                   double atol, double rtol) {
        float[][] want = copies(outputs);
        f.accept(REFERENCE, want);
        for (KernelProvider p : candidates()) {
            float[][] got = copies(outputs);
            f.accept(p, got);
            for (int i = 0; i < want.length; i++) assertAllClose(p + " " + what + " output " + i, want[i], got[i], atol, rtol);
        }
    }

    /** As above with one output array. */
    public static void assertArrayWritingProviders(String what, float[] output, BiConsumer<KernelProvider, float[]> f,
                                                   double atol, double rtol) {
        assertArrayWritingProviders(what, new float[][] {output}, (p, out) -> f.accept(p, out[0]), atol, rtol);
    }

    private static float[][] copies(float[][] arrays) {
        float[][] c = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) c[i] = arrays[i].clone();
        return c;
    }
}
