package dev.vireo.models.train;

import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.ImageTextSample;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Image–text samples from files (COCO, Karpathy, CSV, WebDataset, image folders), decoded and
 * CLIP-preprocessed once into memory. A corrupt, truncated or missing image is skipped with a
 * warning and counted; the rest keep their order, whatever the number of decoding threads.
 */
public final class DecodedImageTextData extends PixelImageData {
    private final List<List<String>> captions;
    private final List<Skipped> skipped;

    /** What decoding a list of samples gives: the kept images, their captions, the ones skipped. */
    private record Decoded(float[] pixels, List<List<String>> captions, List<Skipped> skipped) {}

    public DecodedImageTextData(List<ImageTextSample> samples, int imageSize, int threads, PrintStream warnings) throws IOException {
        this(imageSize, decodeAll(samples, imageSize, threads, warnings));
    }

    private DecodedImageTextData(int imageSize, Decoded d) {
        super(imageSize, d.pixels());
        this.captions = d.captions();
        this.skipped = d.skipped();
    }

    private static Decoded decodeAll(List<ImageTextSample> samples, int imageSize, int threads, PrintStream warnings) throws IOException {
        ClipPreprocessor pre = new ClipPreprocessor(ClipPreprocessConfig.openai(imageSize));
        int per = 3 * imageSize * imageSize;
        float[][] decoded = new float[samples.size()][];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "vireo-decode");
            t.setDaemon(true);
            return t;
        });
        List<Skipped> skipped = new ArrayList<>();
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (ImageTextSample s : samples) futures.add(pool.submit(() -> decode(s.image(), pre, imageSize)));
            for (int i = 0; i < samples.size(); i++) {
                try {
                    decoded[i] = futures.get(i).get();
                } catch (ExecutionException e) {
                    skipped.add(new Skipped(samples.get(i).image().name(), String.valueOf(e.getCause().getMessage())));
                    warnings.println("warning: skipping image " + samples.get(i).image().name() + ": " + e.getCause().getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("decoding interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        int bad = skipped.size(), kept = samples.size() - bad;
        if (kept == 0) throw new IllegalArgumentException("no image of the " + samples.size() + " samples could be decoded");
        if (bad > 0) warnings.println("warning: skipped " + bad + " of " + samples.size() + " images; training on the other " + kept);
        float[] pixels = new float[kept * per]; // (N, 3, S, S)
        List<List<String>> captions = new ArrayList<>(kept);
        int k = 0;
        for (int i = 0; i < samples.size(); i++) {
            if (decoded[i] == null) continue;
            System.arraycopy(decoded[i], 0, pixels, k++ * per, per);
            captions.add(samples.get(i).captions());
        }
        return new Decoded(pixels, captions, List.copyOf(skipped));
    }

    private static float[] decode(ImageSource source, ClipPreprocessor pre, int size) throws IOException {
        RgbImage img = switch (source) {
            case ImageSource.RawPixels raw -> {
                byte[] rgb = new byte[raw.width() * raw.height() * 3];
                for (int y = 0; y < raw.height(); y++) {
                    for (int x = 0; x < raw.width(); x++) {
                        for (int c = 0; c < 3; c++) rgb[(y * raw.width() + x) * 3 + c] = (byte) raw.get(x, y, raw.channels() == 1 ? 0 : c);
                    }
                }
                yield new RgbImage(raw.width(), raw.height(), rgb);
            }
            default -> ImageDecoder.decodeAtLeast(source.readEncoded(), source.name(), size);
        };
        return pre.preprocess(img);
    }

    /** Images that could not be decoded and were left out, with the reason. */
    @Override
    public List<Skipped> skipped() {
        return skipped;
    }

    @Override
    public List<String> captions(int index) {
        return captions.get(index);
    }
}
