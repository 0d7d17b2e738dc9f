package dev.vireo.models;

import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One loaded model shared by many threads (a server's request threads) gives each of them the bits
 * one thread gets: the compute provider's packed and stacked weights are made once and shared, the
 * activation buffers are per thread.
 */
class ConcurrentUseTest {
    private static final int THREADS = 6, CALLS = 3;

    @Test
    void aSharedSentenceEncoderGivesEveryThreadTheSameBits() throws Exception {
        List<String> texts = List.of("a photo of a cat", "Crème brûlée in São Paulo", "北京是中国的首都。", "a pair of running shoes");
        try (SentenceEncoder minilm = MiniLmTestModel.load()) {
            float[][] alone = minilm.encode(texts);
            for (float[][] got : fromThreads(() -> minilm.encode(texts))) assertThat(got).isDeepEqualTo(alone);
        }
    }

    @Test
    void aSharedClipGivesEveryThreadTheSameBits() throws Exception {
        Path folder = Fixtures.path(ConcurrentUseTest.class, "/hf/tiny-clip/config.json").getParent();
        try (Clip clip = Clip.load(folder)) {
            List<RgbImage> images = List.of(gradient(40, 30, 3), gradient(25, 50, 7));
            List<String> texts = List.of("a photo of a cat", "a red square");
            float[][] imagesAlone = clip.encodeDecoded(images), textsAlone = clip.encodeTexts(texts);
            for (float[][] got : fromThreads(() -> clip.encodeDecoded(images))) assertThat(got).isDeepEqualTo(imagesAlone);
            for (float[][] got : fromThreads(() -> clip.encodeTexts(texts))) assertThat(got).isDeepEqualTo(textsAlone);
        }
    }

    /** THREADS threads each making CALLS calls at once; every call's result. */
    private static List<float[][]> fromThreads(Callable<float[][]> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS * CALLS; i++) futures.add(pool.submit(call));
            List<float[][]> out = new ArrayList<>();
            for (Future<float[][]> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static RgbImage gradient(int w, int h, int seed) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) (i * seed % 251);
        return new RgbImage(w, h, rgb);
    }
}
