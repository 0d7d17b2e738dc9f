package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** VQA v2 questions/annotations/results, our plain list, the answer vocabulary with ViLT's soft scores, and bad files. */
class VqaV2ReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    private static String answers(String... ten) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < ten.length; i++) {
            if (i > 0) s.append(", ");
            s.append("{\"answer\": \"").append(ten[i]).append("\", \"answer_confidence\": \"yes\", \"answer_id\": ").append(i + 1).append('}');
        }
        return s.append(']').toString();
    }

    private Path questions() throws IOException {
        return write("q.json", """
                {"info": {}, "task_type": "Open-Ended", "questions": [
                  {"image_id": 9, "question": "What color is the bus?", "question_id": 90},
                  {"image_id": 7, "question": "Is it raining?", "question_id": 70}]}
                """);
    }

    private Path annotations(String secondAnswers) throws IOException {
        return write("a.json", """
                {"annotations": [
                  {"question_type": "is it", "answer_type": "yes/no", "image_id": 7, "question_id": 70,
                   "multiple_choice_answer": "no", "answers": %s},
                  {"question_type": "what color is the", "answer_type": "other", "image_id": 9, "question_id": 90,
                   "multiple_choice_answer": "red", "answers": %s}], "license": {}}
                """.formatted(answers("no", "no", "No", "no", "yes", "no", "no", "no.", "no", "no"), secondAnswers));
    }

    @Test
    void readsQuestionsWithTheirAnnotationsInQuestionOrder() throws IOException {
        List<VqaItem> items = VqaV2Reader.read(questions(), annotations(answers("red", "Red", "red", "dark red", "red", "red", "maroon", "red", "red", "red")));
        assertThat(items).extracting(VqaItem::questionId).containsExactly(90L, 70L);
        VqaItem bus = items.get(0);
        assertThat(bus.imageId()).isEqualTo(9);
        assertThat(bus.question()).isEqualTo("What color is the bus?");
        assertThat(bus.questionType()).isEqualTo("what color is the");
        assertThat(bus.answerType()).isEqualTo("other");
        assertThat(bus.answers()).hasSize(10).startsWith("red", "Red");
    }

    @Test
    void vocabularyAndViltSoftScores() throws IOException {
        List<VqaItem> items = VqaV2Reader.read(questions(), annotations(answers("red", "Red", "red", "dark red", "red", "red", "maroon", "red", "red", "Maroon")));
        VqaAnswerVocabulary vocabulary = VqaAnswerVocabulary.mostFrequent(items, 3);
        assertThat(vocabulary.answers()).containsExactly("no", "red", "maroon"); // 9, 7, 2; "dark red" and "yes" (1 each) left out
        assertThat(vocabulary.classOf("The Red.")).isEqualTo(1);
        assertThat(vocabulary.classOf("dark red")).isEqualTo(-1);
        VqaAnswerVocabulary.SoftTarget bus = vocabulary.softTarget(items.get(0));
        assertThat(bus.classes()).containsExactly(1, 2);
        assertThat(bus.scores()).containsExactly(1.0, 0.6);
        VqaAnswerVocabulary.SoftTarget rain = vocabulary.softTarget(items.get(1));
        assertThat(rain.classes()).containsExactly(0);
        assertThat(rain.scores()).containsExactly(1.0);
        assertThat(List.of(0, 1, 2, 3, 4, 10)).extracting(VqaAnswerVocabulary::softScore).containsExactly(0.0, 0.3, 0.6, 0.9, 1.0, 1.0);
    }

    @Test
    void resultsRoundTripThroughTheWriterAndJoin() throws IOException {
        List<VqaItem> items = VqaV2Reader.read(questions(), annotations(answers("red", "red", "red", "red", "red", "red", "red", "red", "red", "red")));
        Map<Long, String> answers = new LinkedHashMap<>();
        answers.put(70L, "no");
        answers.put(90L, "red \"bus\"");
        Path results = dir.resolve("results.json");
        VqaResultsWriter.write(results, answers);
        assertThat(VqaV2Reader.readResults(results)).containsExactlyEntriesOf(answers);
        List<VqaPrediction> joined = VqaV2Reader.join(items, answers, results);
        assertThat(joined).extracting(VqaPrediction::id).containsExactly("90", "70");
        assertThat(joined.get(0).prediction()).isEqualTo("red \"bus\"");

        answers.remove(70L);
        assertThatThrownBy(() -> VqaV2Reader.join(items, answers, results)).hasMessageContaining("no answer for question_id 70");
        answers.put(70L, "no");
        answers.put(5L, "x");
        assertThatThrownBy(() -> VqaV2Reader.join(items, answers, results)).hasMessageContaining("question_id 5 is not in the annotations");
    }

    @Test
    void badFilesGiveOneLineErrorsNamingTheEntry() throws IOException {
        Path q = questions();
        assertThatThrownBy(() -> VqaV2Reader.read(q, annotations(answers("red", "red", "red"))))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("annotations[1]").hasMessageContaining("expected 10 answers but found 3");
        Path unknown = write("a2.json", "{\"annotations\": [{\"question_id\": 5, \"image_id\": 7, \"question_type\": \"x\", \"answer_type\": \"y\", \"answers\": []}]}");
        assertThatThrownBy(() -> VqaV2Reader.read(q, unknown)).hasMessageContaining("question_id 5 is not in");
        Path missing = write("a3.json", "{\"annotations\": []}");
        assertThatThrownBy(() -> VqaV2Reader.read(q, missing)).hasMessageContaining("no annotation for question_id 90");
        Path noArray = write("a4.json", "{\"questions\": []}");
        assertThatThrownBy(() -> VqaV2Reader.read(q, noArray)).hasMessageContaining("no 'annotations' array");
        Path truncated = write("r.json", "[{\"question_id\": 1, \"answer\": \"yes\"}, {\"question_id\"");
        assertThatThrownBy(() -> VqaV2Reader.readResults(truncated)).isInstanceOf(DatasetFormatException.class).hasMessageContaining("results[1]");
        Path wrongType = write("r2.json", "[{\"question_id\": \"1\", \"answer\": \"yes\"}]");
        assertThatThrownBy(() -> VqaV2Reader.readResults(wrongType)).hasMessageContaining("missing integer field 'question_id'");
        Path nine = write("p.json", "[{\"id\": 1, \"answers\": [\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"], \"prediction\": \"a\"}]");
        assertThatThrownBy(() -> VqaV2Reader.readPredictions(nine)).hasMessageContaining("questions[0]").hasMessageContaining("expected 10 answers but found 9");
        Path huge = write("p2.json", "[{\"id\": 1, \"answers\": [" + "\"a\",".repeat(9) + "\"a\"], \"prediction\": \"" + "x".repeat(10_001) + "\"}]");
        assertThatThrownBy(() -> VqaV2Reader.readPredictions(huge)).hasMessageContaining("more than 10000");
        Path notArray = write("p3.json", "{\"id\": 1}");
        assertThatThrownBy(() -> VqaV2Reader.readPredictions(notArray)).hasMessageContaining("expected an array");
        for (Path p : List.of(q, unknown, missing, truncated, wrongType, nine, notArray)) {
            try {
                VqaV2Reader.readPredictions(p);
            } catch (IOException | RuntimeException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }
}
