package dev.vireo.bench.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.bench.BenchTimer;
import dev.vireo.engine.VireoProperties;
import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipLoss;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo bench clip}: the CLIP workloads of PEERS.md, measured the way the PyTorch peers
 * are — ViT-B/32 image encoding at batch 32, text encoding at batch 64 (images/s, texts/s, median
 * of timed runs after warm-up), and training steps of the small CLIP at batch 128 (samples/s and
 * the process's peak resident memory) — and as the ONNX Runtime peer times a request, on the model
 * loaded from a Hugging Face folder as an application loads it: one image and one 77-token text
 * (median latency), and {@code vireo embed} of one image from a fresh JVM ({@link ColdEmbedBench}).
 */
public final class ClipBenchReport {
    private ClipBenchReport() {}

    public static void main(String[] args) throws IOException {
        boolean json = Arrays.asList(args).contains("--json");
        boolean quick = Arrays.asList(args).contains("--quick");
        int steps = quick ? 2 : 6, warmup = quick ? 1 : 2, batch = quick ? 16 : 128;
        if (Arrays.asList(args).contains("--train-only")) { // the child process below
            double samplesPerSecond = batch / trainStepSeconds(ClipConfig.create("small"), batch, warmup, steps);
            System.out.println(samplesPerSecond + " " + peakRssMb());
            return;
        }
        String backend = option(args, "--backend");
        ComputeProvider provider = backend == null ? ComputeProvider.get() : ComputeProvider.named(backend); // a one-line error if it cannot run
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threads", ComputePool.global().threads());
        out.put("backend", provider.name()); // the inference rows run on it; training runs on the CPU
        // training in a fresh process of its own, so the peak RSS is that of training alone (as the peer measures it)
        String[] train = trainInChildProcess(quick);
        out.put("train_samples_per_s", Double.parseDouble(train[0]));
        out.put("train_peak_rss_mb", Long.parseLong(train[1]));
        out.put("train_jvm_max_heap_mb", TRAIN_HEAP_MB);
        ClipConfig b32 = ClipConfig.create("ViT-B-32");
        ClipModel model = new ClipModel(b32, 0);
        model.eval();
        // registered as an application's loaded model is (Clip.load): each weight is packed for the
        // GEMM on its second use and kept, so the timed runs below never re-pack one
        List<Tensor> weights = model.namedParameters().values().stream().map(Parameter::value).toList();
        provider.register(weights);
        // 5 timed runs as the peer's minimum (bench_clip_infer.py); 2 warm-ups, so the JIT has compiled
        // the text tower's own code (its causal attention) before the clock starts, not during it
        int imageBatch = quick ? 4 : 32, textBatch = quick ? 8 : 64, reps = quick ? 1 : 5, warmups = quick ? 1 : 2;
        boolean device = !provider.name().equals("cpu");
        if (device) { // a device's runs compile nothing after the first: one warm-up, one timed (PoCL takes minutes a run)
            reps = 1;
            warmups = 1;
        }
        Rng rng = new Rng(1);
        Tensor images = Tensor.randn(rng, 0, 1, imageBatch, 3, 224, 224); // (B, 3, 224, 224)
        int[] ids = randomTexts(rng, textBatch);                           // (B, 77)
        double imageSeconds = median(warmups, reps, () -> on(provider, () -> encodeImages(model, images)));
        out.put("image_per_s", imageBatch / imageSeconds);
        if (device) { // the Vector API path beside it, same model, same images, same process
            ComputeProvider cpu = ComputeProvider.named("cpu");
            cpu.register(weights);
            out.put("cpu_image_per_s", imageBatch / median(2, quick ? 1 : 5, () -> on(cpu, () -> encodeImages(model, images))));
            cpu.release(weights);
        }
        double textSeconds = median(warmups, reps, () -> on(provider, () -> encodeTexts(model, ids, textBatch, 77)));
        out.put("text_per_s", textBatch / textSeconds);
        // one request: the median of 20 (the ONNX Runtime peer's image1/text1 parts time 20 after 3 warm-ups)
        provider.release(weights);
        requests(quick ? new ClipModel(ClipConfig.create("tiny"), 0) : model, ids, quick, provider, out);

        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + v));
        }
    }

    /**
     * Median seconds of a training step as the PyTorch peer measures it (peers/bench_clip_train.py):
     * the same random batch every step, AdamW(lr 5e-4, betas (0.9, 0.98), eps 1e-6, wd 0.2 on every
     * parameter), zero-grad + forward + symmetric InfoNCE + backward + step.
     */
    static double trainStepSeconds(ClipConfig c, int batch, int warmup, int steps) {
        ClipModel model = new ClipModel(c, 0);
        model.text().setPooling(c.text().vocabSize() - 1, true); // the peer pools at argmax(ids)
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        AdamW opt = new AdamW(ParamGroups.single(params, 5e-4, 0.2), 0.9, 0.98, 1e-6);
        ClipLoss loss = new ClipLoss();
        Rng rng = new Rng(0);
        int side = c.vision().imageSize(), ctx = c.text().contextLength(), vocab = c.text().vocabSize();
        Tensor images = Tensor.randn(rng, 0, 1, batch, 3, side, side); // (B, 3, S, S)
        int[] ids = new int[batch * ctx];                              // (B, T): the end token (largest id) last
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < ctx - 1; t++) ids[b * ctx + t] = rng.nextInt(vocab - 1);
            ids[b * ctx + ctx - 1] = vocab - 1;
        }
        double[] times = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor l = loss.forward(model.encodeImage(images), model.encodeText(ids, batch, ctx), model.logitScale().value());
            l.backward();
            opt.step();
            if (i >= warmup) times[i - warmup] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        return times[steps / 2];
    }

    /**
     * The request rows, on the model as an application has it: written as a Hugging Face folder and
     * loaded with {@code Clip.load} (weights memory-mapped, registered). One image and one 77-token
     * text (median of 20, ids to features, as the ONNX Runtime peer times its session), then a cold
     * {@code vireo embed} of that folder.
     */
    private static void requests(ClipModel model, int[] ids, boolean quick, ComputeProvider provider, Map<String, Object> out) throws IOException {
        int side = model.config().vision().imageSize();
        Tensor image = Tensor.randn(new Rng(3), 0, 1, 1, 3, side, side); // (1, 3, S, S)
        int ctx = model.config().text().contextLength();
        int[] text = Arrays.copyOf(ids, ctx);                             // (1, T): 77 for ViT-B/32
        text[ctx - 1] = 49407;
        Path dir = Files.createTempDirectory("vireo-bench-clip");
        try {
            Path folder = ColdEmbedBench.writeModel(model, dir);
            try (Clip clip = Clip.load(folder, Clip.Options.defaults().withBackend(provider.name()))) {
                int latencyReps = quick ? 3 : provider.name().equals("cpu") ? 20 : 5;
                double warmSeconds = quick ? 0 : LATENCY_WARMUP_SECONDS;
                Runnable image1 = () -> on(provider, () -> encodeImages(clip.model(), image));
                Runnable text1 = () -> on(provider, () -> encodeTexts(clip.model(), text, 1, ctx));
                BenchTimer.warmUp(3, warmSeconds, i -> image1.run());
                out.put("image_b1_ms", 1e3 * median(0, latencyReps, image1));
                BenchTimer.warmUp(3, warmSeconds, i -> text1.run());
                out.put("text_b1_ms", 1e3 * median(0, latencyReps, text1));
            } catch (Exception e) {
                throw new IOException("bench clip: " + e.getMessage(), e);
            }
            if (!provider.name().equals("cpu")) { // a fresh `vireo embed` is the CPU's cold start; a device's first call compiles its kernels
                out.put("embed_cold_ms", null);
                return;
            }
            ColdEmbedBench.Result cold = ColdEmbedBench.measure(folder, dir, quick);
            out.put("embed_cold_ms", cold == null ? null : cold.medianMillis());
            out.put("embed_cold_peak_rss_mb", cold == null ? null : cold.peakRssMb());
        } finally {
            ScratchFolders.delete(dir);
        }
    }

    /** Runs {@code body} with its ops on {@code provider}. */
    private static void on(ComputeProvider provider, Runnable body) {
        ComputeProvider.using(provider, () -> {
            body.run();
            return null;
        });
    }

    /** The value after {@code name} in {@code args}, or null. */
    private static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return null;
    }

    private static void encodeImages(ClipModel model, Tensor images) {
        try (var ignored = GradMode.noGrad()) {
            model.encodeImage(images);
        }
    }

    private static void encodeTexts(ClipModel model, int[] ids, int batch, int length) {
        try (var ignored = GradMode.noGrad()) {
            model.encodeText(ids, batch, length);
        }
    }

    /** (B, 77) ids as the peer's random_text: start token, 75 random words, end token, no padding. */
    private static int[] randomTexts(Rng rng, int batch) {
        int[] ids = new int[batch * 77];
        for (int b = 0; b < batch; b++) {
            ids[b * 77] = 49406;
            for (int t = 1; t < 76; t++) ids[b * 77 + t] = 1 + rng.nextInt(49000);
            ids[b * 77 + 76] = 49407;
        }
        return ids;
    }

    /**
     * How long each batch-1 row warms up before it is timed. The first request after loading runs
     * the weights unpacked, the second packs them, and the JIT compiles the request-sized paths
     * later still: one ViT-B/32 image measured 54-57 ms over its first 60 calls and 37 ms from
     * then on, one text 38-40 ms and 23 ms (windows of 20 after three warm-up calls, no batch
     * before). The peers' scripts need no JIT; timing a JVM's steady state takes this long.
     */
    static final double LATENCY_WARMUP_SECONDS = 3;

    /** Median seconds of {@code reps} timed runs after {@code warmups} untimed ones. */
    static double median(int warmups, int reps, Runnable body) {
        for (int i = 0; i < warmups; i++) body.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /**
     * The JVM's heap ceiling for the training measurement. A JVM's resident memory is its heap
     * ceiling, not its live data: left at the default (a quarter of RAM) the collector grows the heap
     * toward it however little is live. The small CLIP's step keeps ~1.2 GB live at its peak
     * (activations, the attention probabilities, weights, gradients, AdamW moments); 1.75 GiB leaves
     * the collector room (1.5 GiB ran out of heap once attention kept its probabilities, 65 MB more).
     */
    static final int TRAIN_HEAP_MB = 1792;

    /** Runs {@code --train-only} in a child JVM like this one; returns its samples/s and peak RSS (MiB). */
    static String[] trainInChildProcess(boolean quick) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector",
                "-Xmx" + TRAIN_HEAP_MB + "m", "-D" + VireoProperties.THREADS + "=" + ComputePool.global().threads()));
        for (String name : System.getProperties().stringPropertyNames()) { // the parent's Vireo settings (kernels, widths, ...)
            if (name.startsWith("vireo.") && !name.equals(VireoProperties.THREADS)) cmd.add("-D" + name + "=" + System.getProperty(name));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ClipBenchReport.class.getName(), "--train-only"));
        if (quick) cmd.add("--quick");
        Path errors = Files.createTempFile("vireo-bench-train", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            String[] fields = output.isEmpty() ? new String[0] : output.lines().reduce((a, b) -> b).orElse("").split(" ");
            if (rc != 0 || fields.length != 2) {
                List<String> err = Files.readAllLines(errors, StandardCharsets.UTF_8);
                String tail = String.join("\n", err.subList(Math.max(0, err.size() - 20), err.size()));
                throw new IOException("bench clip: the training process failed (exit " + rc + "): " + output + "\n" + tail);
            }
            return fields;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("bench clip: interrupted", e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** VmHWM from /proc/self/status (Linux), in MiB; -1 where unavailable. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
