package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KarpathySplitReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsCocoStyleWithFilepathAndFiltersSplits() throws IOException {
        Path json = Files.writeString(dir.resolve("dataset_coco.json"), """
                {"images": [
                  {"filepath": "val2014", "filename": "COCO_val2014_000000391895.jpg", "imgid": 0, "split": "test", "cocoid": 391895,
                   "sentences": [{"tokens": ["a", "man"], "raw": "A man riding a bike.", "imgid": 0, "sentid": 0},
                                 {"tokens": ["x"], "raw": "A biker on a dirt road.", "imgid": 0, "sentid": 1}], "sentids": [0, 1]},
                  {"filepath": "train2014", "filename": "COCO_train2014_000000000009.jpg", "imgid": 1, "split": "restval",
                   "sentences": [{"raw": "Food in bowls."}]},
                  {"filepath": "train2014", "filename": "COCO_train2014_000000000025.jpg", "imgid": 2, "split": "train",
                   "sentences": [{"raw": "A giraffe eating."}]}],
                 "dataset": "coco"}
                """);
        List<ImageTextSample> all = KarpathySplitReader.read(json, dir);
        assertThat(all).hasSize(3);
        assertThat(all.getFirst().captions()).containsExactly("A man riding a bike.", "A biker on a dirt road.");
        assertThat(all.getFirst().image()).isEqualTo(new ImageSource.FileImage(dir.resolve("val2014/COCO_val2014_000000391895.jpg")));
        assertThat(all.getFirst().split()).isEqualTo("test");
        List<ImageTextSample> train = KarpathySplitReader.read(json, dir, Set.of("train", "restval"));
        assertThat(train).extracting(ImageTextSample::split).containsExactly("restval", "train");
    }

    @Test
    void readsFlickrStyleWithoutFilepath() throws IOException {
        Path json = Files.writeString(dir.resolve("dataset_flickr30k.json"), """
                {"images": [{"sentids": [0], "imgid": 0, "sentences": [{"raw": "Two dogs play."}, {"raw": "Dogs in snow."}],
                             "split": "train", "filename": "1000092795.jpg"}], "dataset": "flickr30k"}
                """);
        ImageTextSample sample = KarpathySplitReader.read(json, dir.resolve("flickr30k-images")).getFirst();
        assertThat(sample.image()).isEqualTo(new ImageSource.FileImage(dir.resolve("flickr30k-images/1000092795.jpg")));
        assertThat(sample.captions()).hasSize(2);
    }

    @Test
    void rejectsAnImageWithoutSentences() throws IOException {
        Path json = Files.writeString(dir.resolve("dataset_bad.json"), """
                {"images": [{"filename": "a.jpg", "split": "train", "sentences": [{"raw": "ok"}]},
                            {"filename": "b.jpg", "split": "val"}]}
                """);
        assertThatThrownBy(() -> KarpathySplitReader.read(json, dir))
                .hasMessageContaining("dataset_bad.json").hasMessageContaining("images[1]").hasMessageContaining("sentences");
    }

    @Test
    void rejectsASentenceWithoutRaw() throws IOException {
        Path json = Files.writeString(dir.resolve("dataset_raw.json"), """
                {"images": [{"filename": "a.jpg", "split": "train", "sentences": [{"raw": "ok"}, {"tokens": ["no", "raw"]}]}]}
                """);
        assertThatThrownBy(() -> KarpathySplitReader.read(json, dir)).hasMessageContaining("images[0].sentences[1]");
    }

    @Test
    void rejectsAFileWithoutImages() throws IOException {
        Path json = Files.writeString(dir.resolve("dataset_other.json"), "{\"annotations\": []}");
        assertThatThrownBy(() -> KarpathySplitReader.read(json, dir)).hasMessageContaining("no 'images' array");
    }

    /** Files 'bench fuzz' (#23) sent: each a one-line DatasetFormatException naming the file and where. */
    @Test
    void damagedFilesAreOneLineFormatErrors() throws IOException {
        // a syntax error in a field the reader skips: Jackson's JsonParseException escaped skipChildren() before
        Path skipped = Files.writeString(dir.resolve("dataset_skipped.json"), "{\"dataset\": {\"name\": \"coco\" \"x\": 1}, \"images\": []}");
        CocoCaptionsReaderTest.assertOneLine(() -> KarpathySplitReader.read(skipped, dir),
                "dataset_skipped.json (dataset at line 1, column 29): malformed JSON: Unexpected character ('\"' (code 34)): was expecting comma");
        // a NUL in a file name: InvalidPathException before
        Path nul = Files.writeString(dir.resolve("dataset_nul.json"), """
                {"images": [{"filepath": "val\\u0000", "filename": "a.jpg", "split": "test", "sentences": [{"raw": "ok"}]}]}
                """);
        CocoCaptionsReaderTest.assertOneLine(() -> KarpathySplitReader.read(nul, dir),
                "dataset_nul.json (images[0]): image path 'val\\u0000/a.jpg' is not a valid path");
    }
}
