package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code vireo score captions|vqa}: both input forms give the same figures, the JSON's shape, the table, one-line errors. */
class ScoreCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private JsonNode json() throws Exception {
        String out = console.out();
        return new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    }

    @Test
    void captionsInOurFormAndAsCocoResultsScoreAlike() throws Exception {
        Path ours = Files.writeString(tmp.resolve("captions.json"), """
                [{"id": 1, "refs": ["A man riding a horse.", "A person on a horse on the beach."], "candidate": "A man riding a horse."},
                 {"id": 2, "refs": ["Two dogs play in the snow.", "Dogs playing outside."], "candidate": "a cat sleeping"}]
                """);
        assertThat(Vireo.run("score", "captions", ours.toString(), "--json")).as("%s", console.err()).isZero();
        JsonNode plain = json();
        assertThat(plain.get("corpus").fieldNames()).toIterable().containsExactly("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");
        assertThat(plain.at("/per_image/1/ROUGE_L").asDouble()).isEqualTo(1.0);
        assertThat(plain.at("/per_image/1/Bleu_4").asDouble()).isCloseTo(1.0, within(1e-8));
        assertThat(plain.at("/per_image/2/Bleu_1").asDouble()).isLessThan(1e-15); // the reference's smoothing: 1e-15 / 3

        Path annotations = Files.writeString(tmp.resolve("captions_val2014.json"), """
                {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "b.jpg"}], "annotations": [
                 {"image_id": 1, "id": 1, "caption": "A man riding a horse."}, {"image_id": 2, "id": 2, "caption": "Two dogs play in the snow."},
                 {"image_id": 1, "id": 3, "caption": "A person on a horse on the beach."}, {"image_id": 2, "id": 4, "caption": "Dogs playing outside."}]}
                """);
        Path results = Files.writeString(tmp.resolve("results.json"),
                "[{\"image_id\": 1, \"caption\": \"A man riding a horse.\"}, {\"image_id\": 2, \"caption\": \"a cat sleeping\"}]");
        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "captions", results.toString(), "--annotations", annotations.toString(), "--json")).as("%s", console.err()).isZero();
        assertThat(json()).isEqualTo(plain);

        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "captions", ours.toString())).isZero();
        assertThat(console.out()).contains("Bleu_4").contains("CIDEr").contains(String.format("%.4f", plain.at("/corpus/CIDEr").asDouble()));
    }

    @Test
    void vqaInOurFormAndAsVqaV2FilesScoreAlike() throws Exception {
        Path ours = Files.writeString(tmp.resolve("vqa.json"), """
                [{"id": 5, "answers": ["yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes"], "prediction": "Yes"},
                 {"id": 6, "answers": ["two", "2", "2", "3", "3", "3", "3", "3", "3", "3"], "prediction": "2"}]
                """);
        assertThat(Vireo.run("score", "vqa", ours.toString(), "--json")).as("%s", console.err()).isZero();
        JsonNode plain = json();
        assertThat(plain.at("/per_question/5").asDouble()).isZero(); // ten agree: "Yes" is not normalised
        assertThat(plain.at("/per_question/6").asDouble()).isCloseTo(0.9, within(1e-12)); // "two" counts as "2": three humans
        assertThat(plain.get("overall").asDouble()).isEqualTo(45.0);

        Path questions = Files.writeString(tmp.resolve("q.json"), """
                {"questions": [{"image_id": 1, "question": "Is it?", "question_id": 5}, {"image_id": 2, "question": "How many?", "question_id": 6}]}
                """);
        Path annotations = Files.writeString(tmp.resolve("a.json"), """
                {"annotations": [
                 {"question_id": 5, "image_id": 1, "question_type": "is it", "answer_type": "yes/no", "answers": [
                  {"answer": "yes", "answer_id": 1}, {"answer": "yes", "answer_id": 2}, {"answer": "yes", "answer_id": 3}, {"answer": "yes", "answer_id": 4},
                  {"answer": "yes", "answer_id": 5}, {"answer": "yes", "answer_id": 6}, {"answer": "yes", "answer_id": 7}, {"answer": "yes", "answer_id": 8},
                  {"answer": "yes", "answer_id": 9}, {"answer": "yes", "answer_id": 10}]},
                 {"question_id": 6, "image_id": 2, "question_type": "how many", "answer_type": "number", "answers": [
                  {"answer": "two", "answer_id": 1}, {"answer": "2", "answer_id": 2}, {"answer": "2", "answer_id": 3}, {"answer": "3", "answer_id": 4},
                  {"answer": "3", "answer_id": 5}, {"answer": "3", "answer_id": 6}, {"answer": "3", "answer_id": 7}, {"answer": "3", "answer_id": 8},
                  {"answer": "3", "answer_id": 9}, {"answer": "3", "answer_id": 10}]}]}
                """);
        Path results = Files.writeString(tmp.resolve("r.json"), "[{\"question_id\": 6, \"answer\": \"2\"}, {\"question_id\": 5, \"answer\": \"Yes\"}]");
        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "vqa", results.toString(), "--questions", questions.toString(), "--annotations", annotations.toString(), "--json"))
                .as("%s", console.err()).isZero();
        assertThat(json()).isEqualTo(plain);

        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "vqa", ours.toString())).isZero();
        assertThat(console.out()).contains("45.00%");
    }

    @Test
    void badFilesFailWithOneLine() throws Exception {
        Path nine = Files.writeString(tmp.resolve("nine.json"), "[{\"id\": 1, \"answers\": [\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"], \"prediction\": \"a\"}]");
        assertThat(Vireo.run("score", "vqa", nine.toString(), "--json")).isNotZero();
        assertThat(console.err().strip()).contains("expected 10 answers but found 9").doesNotContain("\n").doesNotContain("Exception");

        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "captions", tmp.resolve("missing.json").toString())).isNotZero();
        assertThat(console.err()).contains("no such file");

        Path truncated = Files.writeString(tmp.resolve("t.json"), "[{\"id\": 1, \"refs\": [\"a dog\"], \"candidate\": ");
        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "captions", truncated.toString())).isNotZero();
        assertThat(console.err().strip()).contains("captions[0]").doesNotContain("\n");

        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("score", "vqa", nine.toString(), "--questions", nine.toString())).isNotZero(); // --annotations missing
        assertThat(console.err()).contains("--annotations");
    }
}
