package dev.vireo.examples.cli;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.blip.BlipCaptionModel;
import dev.vireo.models.blip.BlipCaptioner;
import dev.vireo.models.blip.BlipConfig;
import dev.vireo.models.blip.BlipDecoderConfig;
import dev.vireo.models.blip.BlipVisionConfig;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code vireo bench caption}: batched beam-search captioning timed as transformers' peer
 * ({@code bench/peers/bench_caption_hf.py}) times {@code BlipForConditionalGeneration.generate}:
 * pixel values in, ids out — the vision tower, then beam search over every image's beams with
 * exactly {@code --max-new-tokens} new tokens (min length = [DEC] + that many, so [SEP] cannot end a
 * caption early). Preprocessing and detokenizing are left out on both sides. The model is a Hugging
 * Face folder (the peer's, so both run the same weights and the ids can be compared), or without
 * {@code --model} a named config with seeded random weights. The pixels are a formula both sides
 * compute exactly ({@link #pixelValues}).
 */
@Command(name = "caption", description = "batched beam-search captioning (vision tower + beam search, pixels to ids) on a BLIP-base-sized "
        + "captioner: seconds per batch, images/s, the ids' sha256; bench/peers/compare_caption.sh runs transformers beside it")
final class BenchCaptionCommand implements Callable<Integer> {
    /** Configs by name: blip-base has Salesforce/blip-image-captioning-base's sizes; tiny is for a quick look. */
    static final List<String> CONFIGS = List.of("blip-base", "tiny");
    /** Most images in the one batch timed, and most beams per image: bound the activations and caches. */
    static final int MAX_IMAGES = 64, MAX_BEAMS = 16;

    @Option(names = "--model", paramLabel = "DIR", description = "a Hugging Face BlipForConditionalGeneration folder (default: --config with seeded random "
            + "weights; bench/peers/bench_caption_hf.py writes a random BLIP-base folder both sides can run)")
    Path model;

    @Option(names = "--config", paramLabel = "NAME", defaultValue = "blip-base",
            description = "sizes of the random model without --model: blip-base (ViT-B/16 at 384 px, 12-layer BERT-base decoder, vocabulary 30524) "
                    + "or tiny (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the random weights without --model (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--images", paramLabel = "N", defaultValue = "8", description = "images in the batch, at most " + MAX_IMAGES + " (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--beams", paramLabel = "N", defaultValue = "3", description = "beams per image, at most " + MAX_BEAMS + " (default: ${DEFAULT-VALUE})")
    int beams;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "20", description = "tokens generated per caption, exactly (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "timed rounds after the warm-up (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "untimed rounds first, while the JIT compiles (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--json", description = "accepted for symmetry: the report is always one JSON document on stdout")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (images < 1 || images > MAX_IMAGES || beams < 1 || beams > MAX_BEAMS || maxNewTokens < 1 || rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("--images must lie in [1, " + MAX_IMAGES + "], --beams in [1, " + MAX_BEAMS
                    + "], --max-new-tokens and --rounds must be positive, --warmup non-negative");
        }
        long loadStart = System.nanoTime();
        BlipCaptioner captioner = model == null ? null : BlipCaptioner.load(model);
        BlipDecoderConfig c = captioner != null ? captioner.model().config() : config(config);
        int positions = c.blip().text().maxPositions();
        if (1 + maxNewTokens > positions) {
            if (captioner != null) captioner.close();
            throw new IllegalArgumentException("[DEC] and " + maxNewTokens + " new tokens are more than the decoder's " + positions + " positions");
        }
        BlipCaptionModel blip = captioner != null ? captioner.model() : new BlipCaptionModel(new Rng(seed), c);
        List<Tensor> weights = blip.namedParameters().values().stream().map(Parameter::value).toList();
        if (captioner == null) ComputeProvider.get().register(weights); // as a loaded captioner registers its own
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        try {
            return report(blip, loadSeconds);
        } finally {
            if (captioner != null) {
                captioner.close();
            } else {
                ComputeProvider.get().release(weights);
            }
        }
    }

    private int report(BlipCaptionModel blip, double loadSeconds) {
        BlipDecoderConfig c = blip.config();
        int side = c.blip().vision().imageSize();
        Tensor pixels = Tensor.of(pixelValues(images, side), images, 3, side, side); // (B, 3, S, S)
        // no early end: [SEP] is suppressed until the caption holds [DEC] and maxNewTokens tokens, as min_length does in the peer
        GenerationConfig generation = new GenerationConfig(maxNewTokens, 1 + maxNewTokens, beams, 1.0, false, false, 50, 1.0, 1.0, 1.0, 0);
        int[] prompts = new int[images]; // (B, 1): [DEC] alone
        Arrays.fill(prompts, c.bosId());
        long warmupStart = System.nanoTime();
        for (int i = 0; i < warmup; i++) generate(blip, pixels, prompts, generation);
        double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
        ForeignCpu load = ForeignCpu.start();
        double[] seconds = new double[rounds];
        int[][] ids = null;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ids = generate(blip, pixels, prompts, generation);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        double foreign = load.cpus();
        double median = median(seconds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "vireo");
        out.put("model", model != null ? model.toString() : config + " (random weights, seed " + seed + ")");
        out.put("threads", ComputePool.global().threads());
        out.put("images", images);
        out.put("beams", beams);
        out.put("max_new_tokens", maxNewTokens);
        out.put("new_tokens", ids[0].length - 1);
        out.put("load_s", round(loadSeconds));
        out.put("warmup_s", round(warmupSeconds));
        out.put("round_s", Arrays.stream(seconds).map(BenchCaptionCommand::round).toArray());
        out.put("median_s", round(median));
        out.put("min_s", round(Arrays.stream(seconds).min().orElseThrow()));
        out.put("images_per_s", Math.round(images / median * 1e4) / 1e4);
        out.put("ids_sha256", sha256(ids));
        out.put("ids", ids);
        out.put("peak_rss_mb", peakRssMb());
        out.put("jvm_max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        out.put("foreign_cpu", Double.isNaN(foreign) ? null : Math.round(foreign * 100) / 100.0);
        System.out.println(Json.write(out));
        return 0;
    }

    /** One batch as the peer's generate: image states (B, T, Cv), then beam search over B × beams rows. */
    private static int[][] generate(BlipCaptionModel blip, Tensor pixels, int[] prompts, GenerationConfig generation) {
        BlipDecoderConfig c = blip.config();
        try (var ignored = GradMode.noGrad()) {
            Tensor states = blip.imageStates(pixels); // (B, T, Cv)
            return Generator.generate(blip.decoder().decoder(states), prompts, prompts.length, 1, generation, c.sepId(), c.padId());
        }
    }

    /** A named config: {@code blip-base} as Salesforce/blip-image-captioning-base's config.json, or {@code tiny}. */
    static BlipDecoderConfig config(String name) {
        BertConfig text;
        BlipVisionConfig vision;
        switch (name) {
            case "blip-base" -> {
                text = new BertConfig(30524, 768, 12, 12, 3072, 512, 0, 1e-12, "gelu", false);
                vision = new BlipVisionConfig(768, 12, 12, 3072, 384, 16, 1e-5, "gelu");
            }
            case "tiny" -> {
                text = new BertConfig(30524, 32, 2, 4, 64, 64, 0, 1e-12, "gelu", false);
                vision = new BlipVisionConfig(32, 2, 4, 64, 32, 8, 1e-5, "gelu");
            }
            default -> throw new IllegalArgumentException("unknown --config '" + name + "'; known: " + String.join(", ", CONFIGS));
        }
        return new BlipDecoderConfig(new BlipConfig(text, vision, 256), 30522, 102, 0, false); // [DEC], [SEP], [PAD] as bert-base-uncased + BLIP
    }

    /**
     * (B, 3, S, S) row-major: at flat index i of image b, ((h(i) >> 26) + 8 (b mod 8)) / 32 - 2 with
     * h(i) = i · 2654435761 mod 2³² (Knuth's multiplicative hash): noise whose mean differs from image
     * to image (random weights attend almost evenly, so noise of one mean gives every image one
     * caption); multiples of 1/32 in [-2, 2), exact in float32, so the peer computes the same values.
     */
    static float[] pixelValues(int images, int side) {
        int perImage = 3 * side * side;
        float[] v = new float[Math.multiplyExact(images, perImage)];
        for (int i = 0; i < v.length; i++) {
            long h = (i * 2654435761L) & 0xFFFFFFFFL;
            v[i] = ((h >>> 26) + 8 * ((i / perImage) % 8)) / 32f - 2f;
        }
        return v;
    }

    /** sha256 of the ids as text, a row's ids joined by ',' and rows by ';' (the peer's digest). */
    static String sha256(int[][] ids) {
        StringJoiner rows = new StringJoiner(";");
        for (int[] row : ids) {
            StringJoiner r = new StringJoiner(",");
            for (int id : row) r.add(Integer.toString(id));
            rows.add(r.toString());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rows.toString().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** VmHWM from /proc/self/status (Linux), in MiB; null where unavailable. */
    private static Long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * The CPU other processes took since {@link #start}, in CPUs, as the peers measure it
     * ({@code foreign_cpu}): the machine's busy ticks from /proc/stat less this process's CPU time,
     * over the wall time; NaN where /proc/stat cannot be read.
     */
    private record ForeignCpu(long busyTicks, long ownNanos, long startNanos) {
        /** Linux's USER_HZ, the unit of /proc/stat. */
        private static final double TICKS_PER_SECOND = 100;

        static ForeignCpu start() {
            return new ForeignCpu(readBusyTicks(), readOwnCpuNanos(), System.nanoTime());
        }

        double cpus() {
            long busy = readBusyTicks(), own = readOwnCpuNanos();
            double wall = (System.nanoTime() - startNanos) / 1e9;
            if (busy < 0 || busyTicks < 0 || own < 0 || ownNanos < 0 || wall <= 0) return Double.NaN;
            return Math.max(0, ((busy - busyTicks) / TICKS_PER_SECOND - (own - ownNanos) / 1e9) / wall);
        }

        /** user + nice + system + irq + softirq + steal of all CPUs, in ticks; -1 if unreadable. */
        private static long readBusyTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long sum = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) sum += Long.parseLong(f[i]);
                return sum;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static long readOwnCpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
        }
    }
}
