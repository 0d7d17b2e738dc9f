package dev.vireo.search;

import dev.vireo.models.Clip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shards written apart from precomputed vectors, joined, are searched as one index of the same vectors would be. */
class ShardedIndexTest {
    static Clip clip;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        clip = Clip.load(ImageIndexTest.MODEL);
    }

    @AfterAll
    static void close() throws Exception {
        clip.close();
    }

    @Test
    void shardsSearchedTogetherGiveTheResultsOfOneIndexOfTheSameVectors() throws IOException {
        List<Path> files = ImageIndexTest.images(tmp.resolve("photos"), 300, 7);
        float[][] features = clip.encodeImages(files);
        String sha = ModelFingerprint.of(clip.model());
        int dim = clip.model().config().embedDim();
        Path single = tmp.resolve("single"), sharded = tmp.resolve("sharded");
        try (ShardWriter one = new ShardWriter(single.resolve("all"), "tiny-clip", sha, dim);
             ShardWriter a = new ShardWriter(sharded.resolve("shard-00000"), "tiny-clip", sha, dim);
             ShardWriter b = new ShardWriter(sharded.resolve("shard-00001"), "tiny-clip", sha, dim);
             ShardWriter c = new ShardWriter(sharded.resolve("shard-00002"), "tiny-clip", sha, dim)) {
            ShardWriter[] shards = {a, b, c};
            for (int i = 0; i < files.size(); i++) {
                String path = files.get(i).toString();
                one.add(path, 1, 2, "sha", features[i]);
                shards[(i * 7) % 3].add(path, 1, 2, "sha", features[i]); // scattered, as a hash partitioning would
            }
        }
        ImageIndex.joinShards(single, List.of("all"));
        ImageIndex.joinShards(sharded, List.of("shard-00000", "shard-00001", "shard-00002"));
        try (ImageIndex s = ImageIndex.open(single, clip, "tiny-clip"); ImageIndex m = ImageIndex.open(sharded, clip, "tiny-clip")) {
            assertThat(m.size()).isEqualTo(300);
            for (String q : ImageIndexTest.QUERIES) {
                assertThat(m.searchText(q, 10, SearchOptions.defaults().exact())).isEqualTo(s.searchText(q, 10, SearchOptions.defaults().exact()));
                // HNSW per shard then rescored: on 300 vectors its candidates hold the exact top 10 either way
                assertThat(m.searchText(q, 10, SearchOptions.defaults())).isEqualTo(s.searchText(q, 10, SearchOptions.defaults().exact()));
            }
            assertThat(m.path(Vectors.id(files.get(5).toString()))).contains(files.get(5));
            assertThatThrownBy(() -> m.update(tmp.resolve("photos"), 8, IndexProgress.NONE))
                    .hasMessageContaining("3 shards").hasMessageContaining("build it again");
        }
    }

    @Test
    void shardsOfAnotherModelOrANonEmptyFolderAreRefused() throws IOException {
        Path dir = tmp.resolve("ix");
        try (ShardWriter a = new ShardWriter(dir.resolve("a"), "m", "0".repeat(64), 4);
             ShardWriter b = new ShardWriter(dir.resolve("b"), "m", "1".repeat(64), 4)) {
            a.add("/x.png", 1, 1, "s", new float[] {1, 0, 0, 0});
            assertThatThrownBy(() -> a.add("/y.png", 1, 1, "s", new float[] {1, 0})).hasMessageContaining("2 values for an index of 4");
        }
        assertThatThrownBy(() -> ImageIndex.joinShards(dir, List.of("a", "b"))).hasMessageContaining("shard b was made with another model");
        assertThatThrownBy(() -> new ShardWriter(dir.resolve("a"), "m", "0".repeat(64), 4)).hasMessageContaining("is not empty");
        assertThatThrownBy(() -> ImageIndex.joinShards(dir, List.of())).hasMessageContaining("no shards");
    }
}
