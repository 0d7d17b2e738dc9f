package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Captions to score: our list form, COCO results with annotations, and bad files. */
class CaptionResultsReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    @Test
    void readsOurListWithStringOrIntegerIds() throws IOException {
        Path file = write("c.json", "[{\"id\": \"a\", \"refs\": [\"A dog.\", \"A brown dog.\"], \"candidate\": \"a dog\"},"
                + " {\"id\": 7, \"refs\": [\"A cat.\"], \"candidate\": \"\"}]");
        List<CaptionCandidate> items = CaptionResultsReader.readCandidates(file);
        assertThat(items).extracting(CaptionCandidate::id).containsExactly("a", "7");
        assertThat(items.get(0).references()).containsExactly("A dog.", "A brown dog.");
        assertThat(items.get(1).candidate()).isEmpty();
    }

    @Test
    void readsCocoResultsAgainstAnnotations() throws IOException {
        Path annotations = write("captions_val2014.json", """
                {"images": [{"id": 1, "file_name": "x.jpg"}], "annotations": [
                  {"image_id": 1, "id": 10, "caption": "A dog."}, {"image_id": 2, "id": 11, "caption": "A cat."},
                  {"image_id": 1, "id": 12, "caption": "A brown dog."}]}
                """);
        Path results = write("res.json", "[{\"image_id\": 2, \"caption\": \"a cat\"}, {\"image_id\": 1, \"caption\": \"a dog\"}]");
        List<CaptionCandidate> items = CaptionResultsReader.readCocoResults(results, annotations);
        assertThat(items).extracting(CaptionCandidate::id).containsExactly("2", "1");
        assertThat(items.get(1).references()).containsExactly("A dog.", "A brown dog.");

        Path stranger = write("res2.json", "[{\"image_id\": 3, \"caption\": \"a cat\"}]");
        assertThatThrownBy(() -> CaptionResultsReader.readCocoResults(stranger, annotations)).hasMessageContaining("results[0]")
                .hasMessageContaining("image_id 3 has no caption");
        Path twice = write("res3.json", "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": 1, \"caption\": \"b\"}]");
        assertThatThrownBy(() -> CaptionResultsReader.readCocoResults(twice, annotations)).hasMessageContaining("a second result for image_id 1");
    }

    @Test
    void badListsGiveOneLineErrors() throws IOException {
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("1.json", "[{\"id\": 1, \"refs\": [], \"candidate\": \"x\"}]")))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("captions[0]").hasMessageContaining("'refs'");
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("2.json", "[{\"id\": 1, \"refs\": [\"a\", 3], \"candidate\": \"x\"}]")))
                .hasMessageContaining("non-string");
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("3.json", "[{\"id\": 1, \"refs\": [\"a\"]}]")))
                .hasMessageContaining("missing string field 'candidate'");
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("4.json", "[{\"id\": 1.5, \"refs\": [\"a\"], \"candidate\": \"\"}]")))
                .hasMessageContaining("'id'");
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("5.json", "[]"))).hasMessageContaining("no captions to score");
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("6.json", "[{\"id\": 1, \"refs\": [\"a\"], \"candidate\": \"\"}] x")))
                .hasMessageContaining("after the array").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> CaptionResultsReader.readCandidates(write("7.json",
                "[{\"id\": 1, \"refs\": [\"a\"], \"candidate\": \"\"}, {\"id\": 1, \"refs\": [\"a\"], \"candidate\": \"\"}]")))
                .hasMessageContaining("duplicate id 1");
    }
}
