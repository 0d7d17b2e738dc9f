package dev.vireo.bench.fuzz;

import dev.vireo.models.data.CaptionResultsReader;
import dev.vireo.models.data.CaptionTableReader;
import dev.vireo.models.data.CocoCaptionsReader;
import dev.vireo.models.data.IdxReader;
import dev.vireo.models.data.ImageTextSample;
import dev.vireo.models.data.KarpathySplitReader;
import dev.vireo.models.data.VqaItem;
import dev.vireo.models.data.VqaPrediction;
import dev.vireo.models.data.VqaV2Reader;
import dev.vireo.models.data.WebDatasetReader;
import dev.vireo.models.eval.CaptionMetrics;
import dev.vireo.models.eval.VqaAccuracy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data set files: caption CSV, WebDataset tar shards, IDX (MNIST) images, COCO caption annotations
 * and Karpathy split JSON, and what {@code vireo score} reads: captions to score (then scored) and
 * VQA v2 annotations (then scored against a fixed questions file). Each input overwrites one file in
 * {@code scratch}; image paths are only named, never opened.
 */
final class DataTargets {
    private DataTargets() {}

    static List<FuzzTarget> all(Path scratch) throws IOException {
        Path file = scratch.resolve("input"), images = scratch.resolve("images");
        return List.of(
                new FuzzTarget("caption-csv", List.of(utf8("image,caption\nimg0.png,a red circle\n\"img1.png\",\"a blue square, \"\"small\"\"\"\n"
                        + "img2.jpg,two green triangles\n")), in -> {
                    Files.write(file, in);
                    CaptionTableReader.read(file, CaptionTableReader.Format.csv("image", "caption"), scratch);
                }),
                new FuzzTarget("webdataset-tar", List.of(tar(Map.of("000.jpg", ImageTargets.image("jpg"), "000.txt", utf8("a red circle"),
                        "001.png", ImageTargets.image("png"), "001.txt", utf8("a blue square")))), in -> {
                    Path shard = scratch.resolve("input.tar");
                    Files.write(shard, in);
                    WebDatasetReader.readShard(shard);
                }),
                new FuzzTarget("idx", List.of(idx()), in -> {
                    Files.write(file, in);
                    IdxReader.readImages(file);
                }),
                new FuzzTarget("coco-json", List.of(utf8("""
                        {"info": {"year": 2017, "description": "fuzz"}, "licenses": [{"id": 1, "name": "cc"}],
                         "images": [
                           {"id": 7, "file_name": "000000000007.jpg", "height": 480, "width": 640},
                           {"id": 42, "file_name": "000000000042.jpg", "height": 427, "width": 640},
                           {"id": 99, "file_name": "uncaptioned.jpg"}],
                         "annotations": [
                           {"image_id": 42, "id": 1, "caption": "A dog on a couch. "},
                           {"image_id": 7, "id": 2, "caption": "A red bus \\u00e0 la gare."},
                           {"image_id": 42, "id": 3, "caption": "A brown dog resting."}]}
                        """)), in -> {
                    Path json = scratch.resolve("captions_fuzz2017.json");
                    Files.write(json, in);
                    touch(CocoCaptionsReader.read(json, images));
                }),
                new FuzzTarget("karpathy-json", List.of(utf8("""
                        {"images": [
                          {"filepath": "val2014", "filename": "COCO_val2014_000000391895.jpg", "imgid": 0, "split": "test", "cocoid": 391895,
                           "sentences": [{"tokens": ["a", "man"], "raw": "A man riding a bike.", "imgid": 0, "sentid": 0},
                                         {"tokens": ["x"], "raw": "A biker on a dirt road.", "imgid": 0, "sentid": 1}], "sentids": [0, 1]},
                          {"filepath": "train2014", "filename": "COCO_train2014_000000000009.jpg", "imgid": 1, "split": "restval",
                           "sentences": [{"raw": "Food in bowls."}]},
                          {"filename": "1000092795.jpg", "imgid": 2, "split": "train",
                           "sentences": [{"raw": "Two dogs play."}, {"raw": "Dogs in snow."}]}],
                         "dataset": "coco"}
                        """)), in -> {
                    Path json = scratch.resolve("dataset_fuzz.json");
                    Files.write(json, in);
                    touch(KarpathySplitReader.read(json, images));
                }),
                new FuzzTarget("caption-score-json", List.of(utf8("""
                        [{"id": 1, "refs": ["A man riding a horse.", "A person on a horse on the beach."], "candidate": "A man (riding) a horse."},
                         {"id": "b", "refs": ["Two dogs don't play in the snow.", "Dogs playing outside, 1,000 times"], "candidate": "a cat's \\"bed\\""},
                         {"id": 3, "refs": ["Mr. Smith in the U.S.", ""], "candidate": ""}]
                        """)), in -> {
                    Files.write(file, in);
                    CaptionMetrics.evaluate(CaptionResultsReader.readCandidates(file));
                }),
                new FuzzTarget("vqa-json", List.of(utf8("""
                        {"info": {}, "annotations": [
                          {"question_type": "how many", "answer_type": "number", "image_id": 7, "question_id": 70, "answers": [
                            {"answer": "two", "answer_id": 1}, {"answer": "2", "answer_id": 2}, {"answer": "2.5", "answer_id": 3},
                            {"answer": "t-shirt, 1,000", "answer_id": 4}, {"answer": "dont", "answer_id": 5}, {"answer": "the dog.", "answer_id": 6},
                            {"answer": "(yes)!", "answer_id": 7}, {"answer": "no", "answer_id": 8}, {"answer": " none\\t", "answer_id": 9},
                            {"answer": "10:30", "answer_id": 10}]}]}
                        """)), in -> {
                    Path questions = scratch.resolve("vqa_questions.json");
                    if (!Files.exists(questions)) Files.writeString(questions, "{\"questions\": [{\"image_id\": 7, \"question\": \"How many?\", \"question_id\": 70}]}");
                    Files.write(file, in);
                    List<VqaPrediction> predictions = new ArrayList<>();
                    for (VqaItem item : VqaV2Reader.read(questions, file)) {
                        predictions.add(new VqaPrediction(Long.toString(item.questionId()), item.answers(), item.answers().getFirst()));
                    }
                    VqaAccuracy.evaluate(predictions);
                }));
    }

    /** Reads what a loader would before opening an image: each sample's image name and captions. */
    private static void touch(List<ImageTextSample> samples) {
        for (ImageTextSample s : samples) {
            s.image().name();
            s.captions().forEach(String::length);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An IDX3 image file: magic 0x00000803, 3 images of 4×5. */
    private static byte[] idx() {
        byte[] x = new byte[16 + 3 * 4 * 5];
        int[] header = {0x803, 3, 4, 5};
        for (int i = 0; i < 4; i++) for (int b = 0; b < 4; b++) x[4 * i + b] = (byte) (header[i] >>> (24 - 8 * b));
        for (int i = 16; i < x.length; i++) x[i] = (byte) (i * 13);
        return x;
    }

    /** A POSIX ustar archive of the given members, in name order. */
    private static byte[] tar(Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        members.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            byte[] h = new byte[512];
            put(h, 0, e.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", e.getValue().length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            int sum = 0;
            for (byte b : h) sum += b & 0xFF;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(e.getValue());
            out.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
        });
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
