package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CocoCaptionsReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    @Test
    void groupsCaptionsByImageInImageOrder() throws IOException {
        Path json = write("captions_val2017.json", """
                {"info": {"year": 2017, "nested": {"a": [1, 2]}}, "licenses": [],
                 "annotations": [
                   {"image_id": 42, "id": 1, "caption": "A dog on a couch. "},
                   {"image_id": 7, "id": 2, "caption": "A red bus."},
                   {"image_id": 42, "id": 3, "caption": "A brown dog resting."}],
                 "images": [
                   {"id": 7, "file_name": "000000000007.jpg", "height": 480, "width": 640},
                   {"id": 42, "file_name": "000000000042.jpg"},
                   {"id": 99, "file_name": "uncaptioned.jpg"}]}
                """);
        List<ImageTextSample> samples = CocoCaptionsReader.read(json, dir.resolve("val2017"));
        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).id()).isEqualTo("7");
        assertThat(samples.get(0).captions()).containsExactly("A red bus.");
        assertThat(samples.get(1).captions()).containsExactly("A dog on a couch.", "A brown dog resting.");
        assertThat(samples.get(1).image()).isEqualTo(new ImageSource.FileImage(dir.resolve("val2017/000000000042.jpg")));
        assertThat(samples.get(1).split()).isEqualTo("val2017");
    }

    @Test
    void rejectsAnAnnotationWithoutCaptionNamingFileAndEntry() throws IOException {
        Path json = write("captions_bad.json", """
                {"images": [{"id": 1, "file_name": "a.jpg"}],
                 "annotations": [{"image_id": 1, "caption": "ok"}, {"image_id": 1, "text": "wrong field"}]}
                """);
        assertThatThrownBy(() -> CocoCaptionsReader.read(json, dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("captions_bad.json")
                .hasMessageContaining("annotations[1]")
                .hasMessageContaining("'caption'");
    }

    @Test
    void rejectsACaptionOfAnUnknownImage() throws IOException {
        Path json = write("captions_orphan.json", """
                {"images": [{"id": 1, "file_name": "a.jpg"}],
                 "annotations": [{"image_id": 1, "caption": "fine"}, {"image_id": 5, "caption": "orphan"}]}
                """);
        assertThatThrownBy(() -> CocoCaptionsReader.read(json, dir))
                .hasMessageContaining("annotations[1]").hasMessageContaining("image_id 5");
    }

    @Test
    void rejectsTruncatedJsonWithItsLine() throws IOException {
        Path json = write("captions_cut.json", "{\"images\": [\n{\"id\": 1, \"file_name\": \"a.jpg\"},\n{\"id\": 2, \"file_na");
        assertThatThrownBy(() -> CocoCaptionsReader.read(json, dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("captions_cut.json")
                .hasMessageContaining("images[1]")
                .hasMessageContaining("line 3");
    }

    @Test
    void rejectsDuplicateImageIds() throws IOException {
        Path json = write("captions_dup.json", """
                {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 1, "file_name": "b.jpg"}], "annotations": []}
                """);
        assertThatThrownBy(() -> CocoCaptionsReader.read(json, dir)).hasMessageContaining("images[1]").hasMessageContaining("duplicate");
    }

    /** Files 'bench fuzz' (#23) sent: each a one-line DatasetFormatException naming the file and where, never Jackson's own exception. */
    @Test
    void damagedFilesAreOneLineFormatErrors() throws IOException {
        // a syntax error inside a field the reader skips: Jackson's JsonParseException (two lines) escaped skipChildren() before
        Path skipped = write("captions_skipped.json", "{\"info\": {\"year\": 2017, \"url\": tru}, \"images\": [], \"annotations\": []}");
        assertOneLine(() -> CocoCaptionsReader.read(skipped, dir), "captions_skipped.json (info at line 1, column 36): malformed JSON: Unrecognized token 'tru'");
        // bytes Jackson takes for UTF-32 that are not: CharConversionException before
        Path utf32 = Files.write(dir.resolve("captions_utf32.json"), new byte[] {0, 0, 0, '{', 0x7f, 0x7f, 0x7f, 0x7f});
        assertOneLine(() -> CocoCaptionsReader.read(utf32, dir), "captions_utf32.json (top level at line 1, column 1): malformed JSON: Invalid UTF-32 character");
        // a NUL in a file name: InvalidPathException from Path.resolve before
        Path nul = write("captions_nul.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a\\u0000.jpg\"}], \"annotations\": []}");
        assertOneLine(() -> CocoCaptionsReader.read(nul, dir), "captions_nul.json (images[0]): image path 'a\\u0000.jpg' is not a valid path");
    }

    static void assertOneLine(org.assertj.core.api.ThrowableAssert.ThrowingCallable read, String message) {
        assertThatThrownBy(read).isInstanceOf(DatasetFormatException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
