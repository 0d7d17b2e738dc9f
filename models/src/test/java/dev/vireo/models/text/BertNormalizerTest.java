/*
 * BertNormalizer's ASCII fast path against its general path: the same controls dropped, the same
 * whitespace mapped, the same case folding, whichever path a text takes.
 */
package dev.vireo.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BertNormalizerTest {

    private static final String ASCII = "a\u0007b\u0000c\u007fd\u000be\u000cf\tG\r\nH\u001cI";

    @Test
    void asciiPathDropsControlsAndMapsWhitespace() {
        assertThat(BertNormalizer.UNCASED.normalize(ASCII)).isEqualTo("abcdef g  hi");
    }

    @Test
    void asciiAndGeneralPathsAgree() {
        // one accented letter sends the text down the general path and adds only itself
        for (BertNormalizer n : new BertNormalizer[] {BertNormalizer.UNCASED, new BertNormalizer(false, true, true, true),
                new BertNormalizer(true, true, false, false)}) {
            String general = n.normalize(ASCII + "\u00e9");
            assertThat(general).isEqualTo(n.normalize(ASCII) + (n.stripAccents() ? "e" : "\u00e9"));
        }
    }

    @Test
    void chineseCharactersGetSpaces() {
        assertThat(BertNormalizer.UNCASED.normalize("ab猫c")).isEqualTo("ab 猫 c");
    }
}
