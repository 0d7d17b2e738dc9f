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

    /** A plain ustar archive of the given members, as WebDataset shards are. */
    static byte[] tar(Map<String, byte[]> members) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, m.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", m.getValue().length));
            put(h, 136, "00000000000");
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            int sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.write(h);
            out.write(m.getValue());
            out.write(new byte[(512 - m.getValue().length % 512) % 512]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int at, String value) {
        byte[] b = value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }

    @Test
    void webDatasetShardsAndTablesOfBytesGiveTheSameFeaturesWithTheirCaptions() throws Exception {
        SparkSession spark = TestSpark.session();
        List<Path> files = TestSpark.images(tmp.resolve("src"), 6, 9);
        Map<String, byte[]> members = new java.util.LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            members.put(String.format("s/%06d.png", i), Files.readAllBytes(files.get(i)));
            members.put(String.format("s/%06d.txt", i), ("caption of " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path a = tmp.resolve("shard-a.tar"), b = tmp.resolve("shard-b.tar");
        Map<String, byte[]> first = new java.util.LinkedHashMap<>(), second = new java.util.LinkedHashMap<>();
        members.forEach((k, v) -> (k.compareTo("s/000003") < 0 ? first : second).put(k, v));
        Files.write(a, tar(first));
        Files.write(b, tar(second));
        EmbedJob.run(spark, ImageInputs.read(spark, List.of(a.toString(), b.toString())),
                new EmbedJob.Options(TestSpark.MODEL.toString(), null, 4, 0, -1), tmp.resolve("wds"));

        // the same images as a Parquet table of bytes, two caption rows per image
        List<Row> table = new java.util.ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            for (int c = 0; c < 2; c++) {
                table.add(org.apache.spark.sql.RowFactory.create("mem/" + i + ".png", Files.readAllBytes(files.get(i)), "caption " + c + " of " + i));
            }
        }
        Path parquet = tmp.resolve("table.parquet");
        spark.createDataFrame(table, new org.apache.spark.sql.types.StructType().add("path", "string").add("content", "binary")
                .add("caption", "string")).coalesce(1).write().parquet(parquet.toString());
        EmbedJob.run(spark, ImageInputs.read(spark, List.of(parquet.toString())), new EmbedJob.Options(TestSpark.MODEL.toString(), null, 4, 0, -1),
                tmp.resolve("table"));

        try (Clip clip = Clip.load(TestSpark.MODEL)) {
            List<Clip.ImageResult> cli = clip.encodeEach(files);
            for (Row r : spark.read().parquet(tmp.resolve("wds/embeddings").toString()).collectAsList()) {
                String path = r.getAs("path");
                int i = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf('.')));
                assertThat(path).startsWith((i < 3 ? a : b) + "!");
                assertThat(r.getList(r.fieldIndex("captions"))).containsExactly("caption of " + i);
                assertThat(floats(r)).isEqualTo(cli.get(i).features());
            }
            List<Row> rows = spark.read().parquet(tmp.resolve("table/embeddings").toString()).collectAsList();
            assertThat(rows).hasSize(6);
            for (Row r : rows) {
                String path = r.getAs("path");
                int i = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf('.')));
                assertThat(r.getList(r.fieldIndex("captions"))).containsExactly("caption 0 of " + i, "caption 1 of " + i);
                assertThat(floats(r)).isEqualTo(cli.get(i).features());
            }
        }
    }

    private static float[] floats(Row r) {
        List<Float> e = r.getList(r.fieldIndex("embedding"));
        float[] out = new float[e.size()];
        for (int i = 0; i < out.length; i++) out[i] = e.get(i);
        return out;
    }
}
