package dev.vireo.engine.optim;

import static org.assertj.core.api.Assertions.fail;

/** Element-wise closeness, |a − e| ≤ atol + rtol·|e|, reporting the worst element. */
final class Close {
    private Close() {}

    static void assertAllClose(String what, float[] actual, float[] expected, double rtol, double atol) {
        if (actual.length != expected.length) fail(what + ": " + actual.length + " values, expected " + expected.length);
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(what + "[" + i + "]: " + actual[i] + " vs expected " + expected[i] + " (error " + err + ")");
            }
        }
    }
}
