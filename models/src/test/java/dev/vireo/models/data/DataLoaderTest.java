package dev.vireo.models.data;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataLoaderTest {
    private static final int COUNT = 37;

    @TempDir
    Path dir;

    /** What the test transform produces: mean of a random 4×4 crop and a random number, to check seeding. */
    record Item(int side, double cropMean, float noise) {}

    /** Decode with javax.imageio, take a crop at a random offset; sleeps a random time to shuffle worker timing. */
    private static final ImageTransform<Item> DECODE_AND_CROP = (source, rng) -> {
        BufferedImage image = TestFiles.decode(source.readEncoded(), source.name());
        int ox = rng.nextInt(image.getWidth() - 3);
        int oy = rng.nextInt(image.getHeight() - 3);
        double sum = 0;
        for (int y = oy; y < oy + 4; y++) for (int x = ox; x < ox + 4; x++) sum += image.getRGB(x, y) & 0xFF00FF;
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        return new Item(image.getWidth(), sum / 16, rng.nextFloat());
    };

    private List<ImageTextSample> samples() throws IOException {
        List<ImageTextSample> samples = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Path file = Files.write(dir.resolve("img" + i + ".png"), TestFiles.png(8 + i % 5, 8 + i % 3, i * 7));
            List<String> captions = new ArrayList<>();
            for (int c = 0; c <= i % 4; c++) captions.add("caption " + c + " of image " + i);
            samples.add(new ImageTextSample("img" + i, new ImageSource.FileImage(file), captions, "train"));
        }
        return samples;
    }

    private static DataLoader.Builder<ImageTextSample, CaptionedImage<Item>> loader(List<ImageTextSample> samples, int workers) {
        return DataLoader.builder(samples, SampleTransforms.captioned(DECODE_AND_CROP)).batchSize(5).seed(42).workers(workers).prefetch(3);
    }

    private static List<String> run(DataLoader<ImageTextSample, CaptionedImage<Item>> loader, int epoch) {
        List<String> out = new ArrayList<>();
        try (DataLoader<ImageTextSample, CaptionedImage<Item>>.Epoch batches = loader.epoch(epoch)) {
            while (batches.hasNext()) {
                Batch<CaptionedImage<Item>> batch = batches.next();
                for (int i = 0; i < batch.size(); i++) {
                    CaptionedImage<Item> item = batch.items().get(i);
                    out.add(batch.number() + ":" + batch.indices()[i] + ":" + item.id() + ":" + item.caption() + ":" + item.image());
                }
            }
        }
        return out;
    }

    @Test
    void sameOrderAndContentWithAnyNumberOfWorkers() throws IOException {
        List<ImageTextSample> samples = samples();
        List<List<String>> byWorkers = new ArrayList<>();
        for (int workers : new int[] {0, 1, 4}) {
            try (var loader = loader(samples, workers).build()) {
                List<String> epochs = new ArrayList<>(run(loader, 0));
                epochs.addAll(run(loader, 1));
                byWorkers.add(epochs);
            }
        }
        assertThat(byWorkers.get(0)).hasSize(2 * COUNT);
        assertThat(byWorkers.get(1)).isEqualTo(byWorkers.get(0));
        assertThat(byWorkers.get(2)).isEqualTo(byWorkers.get(0));
    }

    @Test
    void eachEpochIsAPermutationThatDependsOnSeedAndEpoch() throws IOException {
        try (var loader = loader(samples(), 2).build(); var other = loader(samples(), 3).seed(43).build()) {
            int[] e0 = loader.order(0);
            int[] e1 = loader.order(1);
            assertThat(Arrays.stream(e0).sorted().toArray()).isEqualTo(Arrays.stream(e1).sorted().toArray()).hasSize(COUNT);
            assertThat(e0).isNotEqualTo(e1);
            assertThat(other.order(0)).isNotEqualTo(e0);
            assertThat(loader(samples(), 1).shuffle(false).build().order(5)).isSorted();
        }
    }

    @Test
    void dropLastDropsOnlyThePartialBatch() throws IOException {
        try (var keep = loader(samples(), 2).build(); var drop = loader(samples(), 2).dropLast(true).build()) {
            List<Integer> keptSizes = new ArrayList<>();
            keep.epoch(0).forEachRemaining(b -> keptSizes.add(b.size()));
            List<Integer> droppedSizes = new ArrayList<>();
            drop.epoch(0).forEachRemaining(b -> droppedSizes.add(b.size()));
            assertThat(keptSizes).containsExactly(5, 5, 5, 5, 5, 5, 5, 2);
            assertThat(droppedSizes).containsExactly(5, 5, 5, 5, 5, 5, 5);
            assertThat(drop.batchesPerEpoch()).isEqualTo(7);
        }
    }

    @Test
    void oneCaptionPerImagePerEpochAllKeptForEvaluation() throws IOException {
        List<ImageTextSample> samples = samples();
        Set<String> seen = new HashSet<>();
        try (var loader = loader(samples, 2).build()) {
            for (int epoch = 0; epoch < 12; epoch++) {
                try (var batches = loader.epoch(epoch)) {
                    while (batches.hasNext()) {
                        for (CaptionedImage<Item> item : batches.next().items()) {
                            if (item.id().equals("img3")) {
                                seen.add(item.caption());
                                assertThat(item.captions()).hasSize(4);
                            }
                        }
                    }
                }
            }
        }
        assertThat(seen).as("img3's four captions over 12 epochs").hasSizeGreaterThanOrEqualTo(3);
        SampleContext context = new SampleContext(42, 3, 3);
        assertThat(context.pickCaption(samples.get(3).captions())).isEqualTo(context.pickCaption(samples.get(3).captions()));
    }

    @Test
    void corruptTruncatedAndMissingImagesAreSkippedAndCounted() throws IOException {
        List<ImageTextSample> samples = samples();
        Path truncated = dir.resolve("img3.png");
        byte[] png = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));
        Files.delete(dir.resolve("img5.png"));
        Files.writeString(dir.resolve("img7.png"), "this is not a png");
        try (var loader = loader(samples, 4).build()) {
            assertThat(run(loader, 0)).hasSize(COUNT - 3);
            assertThat(loader.stats().skipped()).isEqualTo(3);
            assertThat(loader.stats().loaded()).isEqualTo(COUNT - 3);
            assertThat(loader.stats().skippedSamples()).extracting(SkippedSample::index).containsExactlyInAnyOrder(3, 5, 7);
            assertThat(loader.stats().skippedSamples()).anySatisfy(s -> assertThat(s.source()).endsWith("img5.png"));
            run(loader, 1);
            assertThat(loader.stats().skipped()).isEqualTo(6);
        }
    }

    @Test
    void failFastStopsAtTheFirstBadSampleNamingIt() throws IOException {
        List<ImageTextSample> samples = samples();
        Files.writeString(dir.resolve("img11.png"), "garbage");
        try (var loader = loader(samples, 4).failFast(true).build()) {
            assertThatThrownBy(() -> run(loader, 0))
                    .isInstanceOf(DataLoaderException.class)
                    .hasMessageContaining("sample 11").hasMessageContaining("img11.png");
        }
    }

    @Test
    void prefetchIsBounded() throws Exception {
        AtomicInteger started = new AtomicInteger();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 100; i++) numbers.add(i);
        SampleTransform<Integer, Integer> counting = (n, context) -> {
            started.incrementAndGet();
            return n;
        };
        try (var loader = DataLoader.builder(numbers, counting).batchSize(4).workers(4).prefetch(2).seed(1).build();
             var batches = loader.epoch(0)) {
            Thread.sleep(200);
            assertThat(started.get()).as("before the first next(): at most 2 batches of 4").isLessThanOrEqualTo(8);
            batches.next();
            Thread.sleep(200);
            assertThat(started.get()).as("holding one batch: at most it plus 2 ahead").isLessThanOrEqualTo(12);
            int served = 4;
            while (batches.hasNext()) served += batches.next().size();
            assertThat(served).isEqualTo(100);
            assertThat(started.get()).isEqualTo(100);
        }
    }

    @Test
    void closingAnEpochCancelsItsQueuedWork() throws Exception {
        AtomicInteger started = new AtomicInteger();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 100; i++) numbers.add(i);
        SampleTransform<Integer, Integer> slow = (n, context) -> {
            started.incrementAndGet();
            Thread.sleep(20);
            return n;
        };
        try (var loader = DataLoader.builder(numbers, slow).batchSize(4).workers(2).prefetch(3).build()) {
            var batches = loader.epoch(0);
            batches.next();
            batches.close();
            assertThat(batches.hasNext()).isFalse();
            // samples a worker took before the close may still start late on a loaded machine: wait until
            // none has started for 300 ms (10 s at most), then nothing more may start
            int afterClose = started.get();
            for (long t0 = System.nanoTime(), quiet = t0; System.nanoTime() - quiet < 300_000_000L
                    && System.nanoTime() - t0 < 10_000_000_000L; ) {
                Thread.sleep(20);
                if (started.get() != afterClose) {
                    afterClose = started.get();
                    quiet = System.nanoTime();
                }
            }
            assertThat(afterClose).as("samples started: the first batch and what was in flight, not the epoch").isLessThanOrEqualTo(16);
            Thread.sleep(300);
            assertThat(started.get()).isEqualTo(afterClose);
            assertThat(loader.epoch(1).next().size()).as("the loader still serves other epochs").isEqualTo(4);
        }
    }

    @Test
    void rawPixelSourcesFlowThroughTheLoader() {
        byte[] pixels = new byte[2 * 3 * 3];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) i;
        List<LabelledImage> images = List.of(
                new LabelledImage("a", new ImageSource.RawPixels("a", pixels, 0, 3, 3, 1), 0, "zero"),
                new LabelledImage("b", new ImageSource.RawPixels("b", pixels, 9, 3, 3, 1), 1, "one"));
        ImageTransform<Integer> centre = (source, rng) -> ((ImageSource.RawPixels) source).get(1, 1, 0);
        try (var loader = DataLoader.builder(images, SampleTransforms.labelled(centre)).batchSize(2).shuffle(false).workers(1).build()) {
            Batch<LabelledItem<Integer>> batch = loader.epoch(0).next();
            assertThat(batch.items()).containsExactly(new LabelledItem<>("a", 4, 0), new LabelledItem<>("b", 13, 1));
        }
    }

    @Test
    void perSampleRandomnessDependsOnSeedEpochAndIndexOnly() {
        Rng a = new SampleContext(1, 2, 3).rng();
        Rng b = new SampleContext(1, 2, 3).rng();
        assertThat(a.nextLong()).isEqualTo(b.nextLong());
        assertThat(new SampleContext(1, 2, 4).rng().nextLong()).isNotEqualTo(new SampleContext(1, 2, 3).rng().nextLong());
        assertThat(new SampleContext(1, 3, 3).rng().nextLong()).isNotEqualTo(new SampleContext(1, 2, 3).rng().nextLong());
    }
}
