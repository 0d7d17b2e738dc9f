package dev.vireo.engine.testing;

/**
 * The one element-wise tolerance check of the tests, numpy's {@code allclose} rule: an element
 * passes when {@code |actual - expected| <= atol + rtol·|expected|} (in double), when both are NaN,
 * or when both are the same infinity. Arguments are always (what, expected, actual, atol, rtol).
 */
public final class Tolerances {
    private Tolerances() {}

    /**
     * Fails, naming the first bad index, both values there and the count of bad elements, unless
     * every element of {@code actual} is close to the one of {@code expected} at its index.
     */
    public static void assertAllClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int bad = 0, first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!close(expected[i], actual[i], atol, rtol)) {
                if (bad++ == 0) first = i;
            }
        }
        if (bad > 0) {
            float e = expected[first], a = actual[first];
            throw new AssertionError(what + ": " + bad + " of " + expected.length
                    + " elements not within atol + rtol·|expected| (atol " + atol + ", rtol " + rtol + "); first at index "
                    + first + ": expected " + e + ", actual " + a + " (|diff| " + Math.abs((double) a - e)
                    + " > " + (atol + rtol * Math.abs(e)) + ")");
        }
    }

    /** The rule of {@link #assertAllClose} for one element. */
    public static boolean close(float expected, float actual, double atol, double rtol) {
        if (Float.compare(expected, actual) == 0) return true; // NaN and NaN, the same infinity
        return Math.abs((double) actual - expected) <= atol + rtol * Math.abs(expected);
    }

    /**
     * The largest magnitude in {@code values}: with {@code atol = tol · maxAbs(expected)} and
     * {@code rtol = 0}, {@link #assertAllClose} checks max|error| ≤ tol · max|expected|.
     */
    public static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) m = Math.max(m, Math.abs(v));
        return m;
    }
}
