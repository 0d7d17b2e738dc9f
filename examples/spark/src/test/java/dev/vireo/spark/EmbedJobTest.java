package dev.vireo.spark;

import dev.vireo.models.Clip;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Distributed embedding: the CLI's features to the bit, corrupt files rejected, a killed task retried without loss or duplicates. */
class EmbedJobTest {
    @TempDir
    Path tmp;

    @Test
    void featuresEqualTheClisBitForBitAndCorruptFilesGoToTheRejects() throws Exception {
        SparkSession spark = TestSpark.session();
        List<Path> files = TestSpark.images(tmp.resolve("photos/cats"), 23, 1);
        files = new java.util.ArrayList<>(files);
        files.addAll(TestSpark.images(tmp.resolve("photos/dogs"), 18, 2));
        Files.write(tmp.resolve("photos/dogs/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(tmp.resolve("photos/notes.txt"), "not an image");
        EmbedJob.Summary s = EmbedJob.run(spark, ImageInputs.read(spark, List.of(tmp.resolve("photos").toString())),
                new EmbedJob.Options(TestSpark.MODEL.toString(), null, 8, 3, 1), tmp.resolve("out"));
        assertThat(s.embedded()).isEqualTo(41);
        assertThat(s.rejected()).isEqualTo(1);

        Map<String, float[]> cli = new HashMap<>();
        try (Clip clip = Clip.load(TestSpark.MODEL)) {
            for (Clip.ImageResult r : clip.encodeEach(files)) cli.put(r.file().toString(), r.features());
        }
        List<Row> rows = spark.read().parquet(tmp.resolve("out/embeddings").toString()).collectAsList();
        assertThat(rows).hasSize(41);
        assertThat(rows.stream().map(r -> (String) r.getAs("path")).distinct()).hasSize(41); // the retried partition wrote once
        for (Row r : rows) {
            String path = r.getAs("path");
            List<Float> e = r.getList(r.fieldIndex("embedding"));
            float[] expected = cli.get(path);
            assertThat(expected).as(path).isNotNull();
            float[] got = new float[e.size()];
            for (int i = 0; i < got.length; i++) got[i] = e.get(i);
            assertThat(got).as(path).isEqualTo(expected);
            assertThat((String) r.getAs("label")).isEqualTo(path.contains("/cats/") ? "cats" : "dogs");
            assertThat((long) r.getAs("size")).isEqualTo(Files.size(Path.of(path)));
        }
        List<Row> rejects = spark.read().parquet(tmp.resolve("out/rejects").toString()).collectAsList();
        assertThat(rejects).hasSize(1);
        assertThat((String) rejects.getFirst().getAs("path")).endsWith("broken.png");
        assertThat((String) rejects.getFirst().getAs("error")).contains("broken.png").doesNotContain("\n");
    }
}
