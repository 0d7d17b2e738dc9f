package dev.vireo.models.vqa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerVocabularyTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheMostFrequentAnswersTiesAlphabetical() throws Exception {
        AnswerVocabulary v = AnswerVocabulary.mostFrequent(List.of("no", "yes", "red", "yes", "blue", "no", "yes", "two"), 3);
        assertThat(v.answers()).containsExactly("yes", "no", "blue");
        assertThat(v.id("no")).isEqualTo(1);
        assertThat(v.id("two")).isEqualTo(-1);
        Path file = dir.resolve(AnswerVocabulary.FILE);
        v.write(file);
        assertThat(AnswerVocabulary.read(file).answers()).isEqualTo(v.answers());
    }

    @Test
    void refusesDamagedLists() throws Exception {
        assertThatThrownBy(() -> new AnswerVocabulary(List.of("yes", "yes"))).hasMessageContaining("'yes' appears twice");
        assertThatThrownBy(() -> new AnswerVocabulary(List.of())).hasMessageContaining("no answers");
        assertThatThrownBy(() -> AnswerVocabulary.read(dir.resolve("missing.txt"))).hasMessageContaining("no answer list");
        Path file = dir.resolve("a.txt");
        Files.writeString(file, "yes\n \n");
        assertThatThrownBy(() -> AnswerVocabulary.read(file)).hasMessageContaining("a.txt: answer vocabulary: answer 1 is blank");
    }
}
