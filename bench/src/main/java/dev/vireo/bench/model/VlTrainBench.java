package dev.vireo.bench.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.TrainListener;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo bench vl}: training steps of the {@code vl-mid} fusion model pretraining with ITC,
 * ITM and MLM on shapes-world batches (48 px) — {@link VlTrainer}'s own loop in a scratch run
 * folder, so a step is exactly the trainer's (batch sampling, the three objectives' forward,
 * backward, clipping, AdamW). Reports samples/s (median of the timed steps after warm-up steps),
 * the process's peak resident memory, and the shapes the PyTorch peer ({@code bench/peers/vl_train_step.py})
 * needs to do the same work: the vocabulary size and the mean padded caption length of a batch.
 */
public final class VlTrainBench {
    /** Training scenes: enough for distinct batches of 64 without holding the 8,000 of {@code vireo pretrain} (221 MB of pixels). */
    static final int SCENES = 2048;
    /** ALBEF's three objectives (no MRM, swapped negatives or momentum distillation). */
    static final String OBJECTIVES = "itc,itm,mlm";

    private VlTrainBench() {}

    public static void main(String[] args) throws IOException {
        List<String> a = Arrays.asList(args);
        boolean json = a.contains("--json");
        boolean quick = a.contains("--quick");
        int batch = intArg(a, "--batch", quick ? 16 : 64);
        // 15 warm-up steps: the JIT is still compiling the step's code at 5 (measured: 10 steps after 5
        // ran at 0.14 s, after 15 at 0.115 s, the median of 40 steps after 5 too)
        int steps = intArg(a, "--steps", quick ? 2 : 20);
        int warmup = intArg(a, "--warmup", quick ? 1 : 15);
        int scenes = intArg(a, "--scenes", quick ? 256 : SCENES);
        if (batch < 2 || steps < 1 || warmup < 0 || scenes < batch) {
            throw new IllegalArgumentException("bench vl: needs --batch >= 2, --steps >= 1, --warmup >= 0 and --scenes >= batch");
        }
        VlConfig config = VlConfig.create("vl-mid");
        ShapesData data = ShapesData.split(true, scenes, ShapesWorld.Config.of(config.vision().imageSize()));
        Path dir = Files.createTempDirectory("vireo-bench-vl");
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            TrainConfig cfg = TrainConfig.builder().steps(warmup + steps).batch(batch).seed(0).outDir(dir.resolve("run"))
                    .checkpointEvery(0).build(); // vireo pretrain's defaults otherwise: lr 1e-3, wd 0.1, clip 1.0
            List<Double> seconds = new ArrayList<>();
            ForeignLoad[] load = {warmup == 0 ? new ForeignLoad() : null};
            double[] foreign = {Double.NaN};
            TrainListener timer = new TrainListener() {
                @Override
                public void onStep(Step step) {
                    if (step.step() > warmup) seconds.add(batch / step.samplesPerSecond());
                    if (step.step() == warmup) load[0] = new ForeignLoad();
                    if (step.step() == warmup + steps) foreign[0] = load[0].cpus();
                }
            };
            VlTrainer.train(config, VlTrainer.Objectives.parse(OBJECTIVES), data, cfg, timer);
            double median = median(seconds);
            WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(cfg.outDir().resolve(VlRuns.VOCAB), true);
            out.put("model", config.name());
            out.put("objectives", OBJECTIVES);
            out.put("threads", ComputePool.global().threads());
            out.put("batch", batch);
            out.put("image_size", config.vision().imageSize());
            out.put("warmup_steps", warmup);
            out.put("timed_steps", steps);
            out.put("s_per_step_median", median);
            out.put("s_per_step_best", seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            out.put("samples_per_s", batch / median);
            out.put("foreign_cpu", foreign[0]); // other processes' load during the timed steps, in CPUs
            out.put("vocab_size", tokenizer.vocabSize());
            double[] lengths = meanLengths(data, tokenizer, config.text().maxPositions(), batch);
            out.put("text_length_mean", lengths[0]);
            out.put("caption_length_mean", lengths[1]);
            out.put("peak_rss_mb", ClipBenchReport.peakRssMb());
            out.put("jvm_max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            out.put("scenes", scenes);
        } finally {
            ScratchFolders.delete(dir);
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + v));
        }
    }

    /**
     * The mean of T, the length a batch pads its captions to (its longest, [CLS] and [SEP]
     * included), and the mean length of a caption, over 200 batches of {@code batch} random images
     * each with a random caption of its own, as the trainer's sampler draws them: the fixed shapes
     * the peer uses.
     */
    static double[] meanLengths(ShapesData data, WordPieceTokenizer tokenizer, int maxLength, int batch) {
        Rng rng = new Rng(7);
        int[][] lengths = new int[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            List<String> captions = data.captions(i);
            lengths[i] = new int[captions.size()];
            for (int c = 0; c < captions.size(); c++) {
                int[] ids = tokenizer.encode(captions.get(c), maxLength).ids();
                int n = 0;
                while (n < ids.length && ids[n] != tokenizer.padId()) n++;
                lengths[i][c] = n;
            }
        }
        int batches = 200;
        long padded = 0, tokens = 0;
        for (int k = 0; k < batches; k++) {
            int longest = 1;
            for (int j = 0; j < batch; j++) {
                int[] of = lengths[rng.nextInt(lengths.length)];
                int length = of[rng.nextInt(of.length)];
                longest = Math.max(longest, length);
                tokens += length;
            }
            padded += longest;
        }
        return new double[] {(double) padded / batches, (double) tokens / ((long) batches * batch)};
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int at = args.indexOf(name);
        if (at < 0) return fallback;
        if (at + 1 >= args.size()) throw new IllegalArgumentException("bench vl: " + name + " needs a value");
        return Integer.parseInt(args.get(at + 1));
    }
}
