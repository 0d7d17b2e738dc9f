package dev.vireo.engine.testing;

import org.junit.jupiter.api.Test;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TolerancesTest {
    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    @Test
    void passesWithinAtolPlusRtolTimesExpectedAndOnEqualSpecialValues() {
        assertThatCode(() -> assertAllClose("x", new float[] {100f, 0f, NAN, INF, -INF, -0f},
                new float[] {101f, 0.5f, NAN, INF, -INF, 0f}, 0.5, 0.005)).doesNotThrowAnyException();
    }

    @Test
    void failsNamingTheFirstBadIndexBothValuesAndTheCount() {
        assertThatThrownBy(() -> assertAllClose("logits", new float[] {1f, 2f, 3f, NAN, INF},
                new float[] {1f, 2.5f, 3f, 1f, -INF}, 0.1, 0))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("logits: 3 of 5 elements")
                .hasMessageContaining("first at index 1: expected 2.0, actual 2.5");
        assertThatThrownBy(() -> assertAllClose("v", new float[] {1f}, new float[] {NAN}, 1, 1)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertAllClose("v", new float[] {1f}, new float[] {1f, 2f}, 0, 0))
                .hasMessage("v: 2 values, expected 1");
    }
}
