package dev.vireo.search;

import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The index on the tiny Hugging Face CLIP: exact and HNSW search, incremental updates, damaged files, filters, the model check. */
class ImageIndexTest {
    static final Path MODEL = Path.of("../src/test/resources/hf/tiny-clip");
    static final List<String> QUERIES = List.of("a photo of a cat", "a red square", "two dogs on a beach at dawn", "a rocket");
    static Clip clip;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        clip = Clip.load(MODEL);
    }

    @AfterAll
    static void close() throws Exception {
        clip.close();
    }

    /** n random-pattern PNGs of a few sizes in {@code folder}, seeded. */
    static List<Path> images(Path folder, int n, long seed) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = 24 + random.nextInt(40), h = 24 + random.nextInt(40), base = random.nextInt(0x1000000);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, base ^ random.nextInt(0x400000));
            Path p = folder.resolve(String.format("img%03d.png", i));
            ImageIO.write(img, "png", p.toFile());
            out.add(p.toAbsolutePath().normalize());
        }
        return out;
    }

    /** The brute-force ranking: every file embedded as Clip.encodeImages does, cosine with the query, best first. */
    static List<Hit> bruteForce(List<Path> files, float[] query, int k) {
        float[][] features = clip.encodeImages(files);
        float[] q = Vectors.normalised(query);
        List<Hit> all = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) all.add(new Hit(Vectors.id(files.get(i).toString()), files.get(i), Vectors.dot(q, Vectors.normalised(features[i]))));
        all.sort(Comparator.comparing(Hit::score).reversed().thenComparing(h -> h.path().toString()));
        return all.subList(0, Math.min(k, all.size()));
    }

    @Test
    void exactSearchIsTheBruteForceCosineRankingAndHnswAgrees() throws IOException {
        List<Path> files = images(tmp.resolve("photos"), 60, 1);
        try (ImageIndex index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip")) {
            IndexReport r = index.update(tmp.resolve("photos"), 16, IndexProgress.NONE);
            assertThat(r.indexed()).isEqualTo(60);
            assertThat(index.size()).isEqualTo(60);
            int agree = 0;
            for (String text : QUERIES) {
                List<Hit> want = bruteForce(files, clip.encodeTexts(List.of(text))[0], 10);
                List<Hit> exact = index.searchText(text, 10, SearchOptions.defaults().exact());
                assertThat(exact.stream().map(Hit::path).toList()).as("exact top 10 for %s", text).isEqualTo(want.stream().map(Hit::path).toList());
                for (int i = 0; i < 10; i++) {
                    assertThat(exact.get(i).score()).as("cosine of %s", exact.get(i).path()).isCloseTo(want.get(i).score(), offset(1e-5f));
                    assertThat(exact.get(i).id()).isEqualTo(want.get(i).id());
                }
                Set<Path> approximate = new HashSet<>();
                for (Hit h : index.searchText(text, 10, SearchOptions.defaults().approximate())) approximate.add(h.path());
                for (Hit h : want) if (approximate.contains(h.path())) agree++;
            }
            assertThat(agree).as("HNSW's top 10 found in the exact top 10").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * 10 * QUERIES.size()));
        }
    }

    @Test
    void queryByExampleFindsTheImageItselfFirst() throws IOException {
        List<Path> files = images(tmp.resolve("photos"), 20, 2);
        try (ImageIndex index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip")) {
            index.update(tmp.resolve("photos"), 8, IndexProgress.NONE);
            for (SearchOptions options : List.of(SearchOptions.defaults().exact(), SearchOptions.defaults().approximate())) {
                List<Hit> hits = index.searchImage(files.get(7), 3, options);
                assertThat(hits.getFirst().path()).isEqualTo(files.get(7));
                assertThat(hits.getFirst().score()).isCloseTo(1f, offset(1e-5f));
                assertThat(index.path(hits.getFirst().id())).contains(files.get(7));
            }
            assertThat(index.path("0123456789abcdef")).isEmpty();
        }
    }

    @Test
    void updatesAreIncrementalAndDamagedFilesAreSkippedAndListed() throws IOException {
        Path photos = tmp.resolve("photos");
        List<Path> files = images(photos, 12, 3);
        Files.write(photos.resolve("truncated.png"), Arrays.copyOf(Files.readAllBytes(files.get(0)), 40));
        Files.writeString(photos.resolve("notes.txt"), "not an image, not even looked at");
        Files.writeString(photos.resolve("fake.jpg"), "not a JPEG");
        Path index = tmp.resolve("index");
        try (ImageIndex ix = ImageIndex.open(index, clip, "tiny-clip")) {
            IndexReport first = ix.update(photos, 5, IndexProgress.NONE);
            assertThat(first.indexed()).isEqualTo(12);
            assertThat(first.skipped()).extracting(s -> s.file().getFileName().toString()).containsExactlyInAnyOrder("truncated.png", "fake.jpg");
            for (IndexReport.Skipped s : first.skipped()) assertThat(s.error()).contains(s.file().getFileName().toString()).doesNotContain("\n");
        }
        try (ImageIndex ix = ImageIndex.open(index, clip, "tiny-clip")) { // reopened from disk
            assertThat(ix.size()).isEqualTo(12);
            IndexReport again = ix.update(photos, 5, IndexProgress.NONE);
            assertThat(List.of(again.indexed(), again.unchanged(), again.removed())).containsExactly(0, 12, 0);

            Files.delete(files.get(3));
            Files.copy(files.get(5), files.get(4), StandardCopyOption.REPLACE_EXISTING); // changed content
            Files.setLastModifiedTime(files.get(4), FileTime.fromMillis(Files.getLastModifiedTime(files.get(4)).toMillis() + 5_000));
            images(photos.resolve("more"), 2, 4);
            List<Integer> progress = new ArrayList<>();
            IndexReport third = ix.update(photos, 5, (done, total) -> progress.add(done));
            assertThat(List.of(third.indexed(), third.unchanged(), third.removed())).containsExactly(3, 10, 1);
            assertThat(progress).last().isEqualTo(5); // three to embed plus the two damaged files, read again
            assertThat(ix.size()).isEqualTo(13);
            List<Hit> twins = ix.searchImage(files.get(5), 2, SearchOptions.defaults().exact());
            assertThat(twins).extracting(Hit::path).containsExactlyInAnyOrder(files.get(4), files.get(5));
            assertThat(ix.searchText("a cat", 20, SearchOptions.defaults().exact())).extracting(Hit::path).doesNotContain(files.get(3));
        }
    }

    @Test
    void aFolderFilterKeepsOnlyImagesUnderIt() throws IOException {
        List<Path> a = images(tmp.resolve("photos/a"), 6, 5), b = images(tmp.resolve("photos/b"), 6, 6);
        images(tmp.resolve("photos/ab"), 3, 7); // a sibling whose name starts like a
        try (ImageIndex index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip")) {
            index.update(tmp.resolve("photos"), 8, IndexProgress.NONE);
            for (SearchOptions options : List.of(SearchOptions.defaults().exact(), SearchOptions.defaults().approximate())) {
                List<Hit> hits = index.searchText("a cat", 10, options.under(tmp.resolve("photos/a")));
                assertThat(hits).extracting(Hit::path).containsExactlyInAnyOrderElementsOf(a);
            }
            assertThat(index.searchText("a cat", 100, SearchOptions.defaults())).hasSize(15);
            assertThat(b).hasSize(6);
        }
    }

    @Test
    void anotherModelIsRefusedAndAForeignFolderIsNotTakenOver() throws Exception {
        images(tmp.resolve("photos"), 4, 8);
        try (ImageIndex index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip")) {
            index.update(tmp.resolve("photos"), 4, IndexProgress.NONE);
        }
        ClipModel other = new ClipModel(clip.model().config(), 99L);
        try (Clip different = new Clip(other, clip.tokenizer(), clip.preprocessor(), null, "vireo")) {
            assertThatThrownBy(() -> ImageIndex.open(tmp.resolve("index"), different, "seed-99"))
                    .hasMessageContaining("tiny-clip").hasMessageContaining("seed-99").hasMessageNotContaining("\n");
        }
        Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(tmp.resolve("busy/thesis.tex"), "mine");
        assertThatThrownBy(() -> ImageIndex.open(tmp.resolve("busy"), clip, "tiny-clip")).hasMessageContaining("not empty");
        assertThat(ImageIndex.describe(tmp.resolve("index"))).containsEntry("model", "tiny-clip").containsEntry("dimension", "16");
    }
}
