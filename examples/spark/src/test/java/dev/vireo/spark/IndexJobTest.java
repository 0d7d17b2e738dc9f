package dev.vireo.spark;

import dev.vireo.models.Clip;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.SearchOptions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Index shards built per partition are searched together with the results of vireo index's one index of the same images. */
class IndexJobTest {
    @TempDir
    Path tmp;

    @Test
    void shardsSearchedTogetherEqualOneIndexOfTheSameFolder() throws Exception {
        SparkSession spark = TestSpark.session();
        TestSpark.images(tmp.resolve("photos/a"), 40, 5);
        TestSpark.images(tmp.resolve("photos/b"), 35, 6);
        EmbedJob.run(spark, ImageInputs.read(spark, List.of(tmp.resolve("photos").toString())),
                new EmbedJob.Options(TestSpark.MODEL.toString(), null, 16, 2, -1), tmp.resolve("emb"));
        IndexJob.Summary s = IndexJob.run(spark.read().parquet(tmp.resolve("emb/embeddings").toString()), 3, tmp.resolve("sharded"));
        assertThat(s.images()).isEqualTo(75);
        assertThat(s.shards()).hasSizeBetween(2, 3);
        try (var left = Files.list(tmp.resolve("sharded"))) {
            assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("shard-") || n.equals("vireo-index.json"));
        }
        assertThat(ImageIndex.describe(tmp.resolve("sharded")).get("model")).isEqualTo(TestSpark.MODEL.toString());

        try (Clip clip = Clip.load(TestSpark.MODEL);
             ImageIndex one = ImageIndex.open(tmp.resolve("one"), clip, "tiny");
             ImageIndex sharded = ImageIndex.open(tmp.resolve("sharded"), clip, "tiny")) {
            one.update(tmp.resolve("photos"), 32, IndexProgress.NONE);
            assertThat(sharded.size()).isEqualTo(one.size());
            for (String q : List.of("a red square", "a noisy picture", "two dogs")) {
                List<Hit> expected = one.searchText(q, 8, SearchOptions.defaults().exact());
                assertThat(sharded.searchText(q, 8, SearchOptions.defaults().exact())).isEqualTo(expected);
                assertThat(sharded.searchText(q, 8, SearchOptions.defaults().under(tmp.resolve("photos/b"))))
                        .isEqualTo(one.searchText(q, 8, SearchOptions.defaults().exact().under(tmp.resolve("photos/b"))));
            }
        }
        assertThatThrownBy(() -> IndexJob.run(spark.read().parquet(tmp.resolve("emb/embeddings").toString()), 2, tmp.resolve("sharded")))
                .hasMessageContaining("is not empty");
    }
}
