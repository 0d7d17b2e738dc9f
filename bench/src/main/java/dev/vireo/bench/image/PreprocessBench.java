package dev.vireo.bench.image;

import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.JpegBaselineDecoder;
import dev.vireo.models.image.RgbImage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Throughput of JPEG decode + CLIP preprocessing to 224 x 224 (images/s) with 1 and 2 threads, beside the PIL +
 * torchvision peer ({@code peers/bench_preprocess.py}) run in the same session, interleaved. Decoders: "imageio"
 * (javax.imageio + our conversion, the default), "java" (JpegBaselineDecoder at full size, bit-identical) and
 * "reduced" (JpegBaselineDecoder at 1/2..1/8 DCT scale, as PIL's draft(); not bit-identical). Same protocol as the
 * peer: every *.jpg under DIR (not "truncated"), repeated to at least 64 images, median of 5 timed passes after warm-up.
 * Usage: PreprocessBench DIR [--peer path/to/bench_preprocess.py] [--rounds N]
 */
public final class PreprocessBench {
    private static final ClipPreprocessor PRE = new ClipPreprocessor(ClipPreprocessConfig.openai());

    /** How images are decoded. */
    enum Mode { DECODE_ONLY, IMAGEIO, JAVA, REDUCED }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PreprocessBench DIR_WITH_JPEGS [--peer bench_preprocess.py] [--rounds N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<String> rest = Arrays.asList(args);
        String peer = rest.contains("--peer") ? rest.get(rest.indexOf("--peer") + 1) : null;
        int rounds = rest.contains("--rounds") ? Integer.parseInt(rest.get(rest.indexOf("--rounds") + 1)) : 1;
        List<byte[]> files = load(dir);
        System.out.printf("%d images from %s, %d processors%n", files.size(), dir, Runtime.getRuntime().availableProcessors());
        for (int r = 0; r < rounds; r++) {
            for (int threads : new int[]{1, 2}) {
                double decode = rate(files, threads, Mode.DECODE_ONLY);
                double imageio = rate(files, threads, Mode.IMAGEIO);
                double java = rate(files, threads, Mode.JAVA);
                double reduced = rate(files, threads, Mode.REDUCED);
                String line = String.format("round %d, %d thread(s), images/s: imageio decode only %.1f | decode+preprocess:"
                        + " imageio %.1f, java %.1f, java reduced-DCT %.1f", r, threads, decode, imageio, java, reduced);
                if (peer != null) {
                    double pil = peer(peer, dir, threads);
                    line += String.format(" | PIL+torchvision %.1f | ratio to PIL: imageio %.2f, java %.2f, reduced %.2f",
                            pil, imageio / pil, java / pil, reduced / pil);
                }
                System.out.println(line);
            }
        }
    }

    /** The file bytes, sorted by name and repeated as the peer does (files * max(1, 64 / n)). */
    static List<byte[]> load(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> p.toString().endsWith(".jpg") && !p.toString().contains("truncated")).sorted().toList();
        }
        if (paths.isEmpty()) throw new IllegalArgumentException("PreprocessBench: no .jpg files under " + dir);
        List<byte[]> one = new ArrayList<>();
        for (Path p : paths) one.add(Files.readAllBytes(p));
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < Math.max(1, 64 / one.size()); i++) all.addAll(one);
        return all;
    }

    /** Median images/s of 5 passes after one warm-up pass (three for the JIT on the first call). */
    static double rate(List<byte[]> files, int threads, Mode mode) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int w = 0; w < 3; w++) pass(files, pool, threads, mode);
            double[] rates = new double[5];
            for (int i = 0; i < rates.length; i++) {
                long t = System.nanoTime();
                double check = pass(files, pool, threads, mode);
                rates[i] = files.size() / ((System.nanoTime() - t) * 1e-9);
                if (!(check > 0)) throw new IllegalStateException("PreprocessBench: empty result " + check);
            }
            Arrays.sort(rates);
            return rates[2];
        } finally {
            pool.shutdown();
        }
    }

    /** One pass: threads pull images from a shared counter; returns a checksum so no work is dead. */
    private static double pass(List<byte[]> files, ExecutorService pool, int threads, Mode mode) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<Double>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> {
                double sum = 0;
                for (int i; (i = next.getAndIncrement()) < files.size(); ) {
                    String name = "bench image " + i;
                    RgbImage img = switch (mode) {
                        case DECODE_ONLY, IMAGEIO -> ImageDecoder.decode(files.get(i), name);
                        case JAVA -> JpegBaselineDecoder.decode(files.get(i), name, 1);
                        case REDUCED -> ImageDecoder.decodeAtLeast(files.get(i), name, 224);
                    };
                    if (mode == Mode.DECODE_ONLY) {
                        sum += img.pixels()[img.pixels().length / 2] + 256;
                    } else {
                        float[] x = PRE.preprocess(img);
                        sum += x[x.length / 2] + 10;
                    }
                }
                return sum;
            }));
        }
        double total = 0;
        for (Future<Double> f : parts) total += f.get();
        return total;
    }

    /** Runs the Python peer once and parses its "N images/s" figure. */
    static double peer(String script, Path dir, int workers) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script, dir.toString(), "--workers", String.valueOf(workers));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            out = String.join("\n", r.lines().toList());
        }
        if (p.waitFor() != 0) throw new IllegalStateException("PreprocessBench: peer failed: " + out);
        int at = out.lastIndexOf(" images/s");
        int from = out.lastIndexOf(' ', at - 1);
        return Double.parseDouble(out.substring(from + 1, at));
    }
}
