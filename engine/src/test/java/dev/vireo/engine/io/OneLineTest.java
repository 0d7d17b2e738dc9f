package dev.vireo.engine.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Control characters a damaged file puts into a message come out escaped, on one line; other text is untouched. */
class OneLineTest {
    @Test
    void controlCharactersAreEscaped() {
        assertThat(OneLine.of("chunk l\n\u0000\u0007 at\tbyte\r8")).isEqualTo("chunk l\\n\\u0000\\u0007 at\\tbyte\\r8");
        assertThat(new CheckpointFormatException("header\nbroken").getMessage()).isEqualTo("header\\nbroken");
    }

    @Test
    void plainTextIsTheSameString() {
        String s = "café, naïve — 日本語 ok";
        assertThat(OneLine.of(s)).isSameAs(s);
        assertThat(OneLine.of(null)).isNull();
    }
}
