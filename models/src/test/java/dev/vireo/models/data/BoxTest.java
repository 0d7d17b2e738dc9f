package dev.vireo.models.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoxTest {
    @Test
    void sizesAndClipping() {
        Box b = new Box(-2, 3, 5, 10);
        assertThat(b.width()).isEqualTo(7);
        assertThat(b.height()).isEqualTo(7);
        assertThat(b.area()).isEqualTo(49);
        assertThat(b.clip(4, 8)).isEqualTo(new Box(0, 3, 4, 8));
        assertThat(new Box(10, 1, 12, 2).clip(8, 8)).isEqualTo(new Box(8, 1, 8, 2));
        assertThat(new Box(1, 1, 1, 4).area()).isZero();
    }

    @Test
    void invertedOrNonFiniteBoxesAreRejected() {
        assertThatThrownBy(() -> new Box(3, 0, 2, 1)).hasMessageContaining("x0 <= x1");
        assertThatThrownBy(() -> new Box(0, 0, Double.NaN, 1)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new Box(0, Double.NEGATIVE_INFINITY, 1, 1)).hasMessageContaining("finite");
    }
}
