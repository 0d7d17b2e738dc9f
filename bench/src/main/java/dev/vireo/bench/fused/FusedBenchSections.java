package dev.vireo.bench.fused;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.autograd.ContrastiveLoss;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fused-op sections of the kernel benchmark report: forward+backward time of fused attention
 * at the CLIP ViT-B/32 and text shapes, and of the chunked InfoNCE loss at N = 4096, each the
 * median of timed repetitions after warm-up, at 1 and 2 threads. Rows are plain maps for JSON.
 */
public final class FusedBenchSections {
    private static final int WARMUP = 5;
    private static final int REPS = 15;

    private FusedBenchSections() {}

    /** Entries {"b", "h", "t", "d", "causal", "threads", "fwd_bwd_ms"}. */
    public static List<Map<String, Object>> attention() {
        int[][] shapes = {{64, 12, 50, 64, 0}, {64, 8, 77, 64, 1}}; // ViT-B/32 tokens; CLIP text, causal
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int[] s : shapes) {
            for (int threads : new int[] {1, 2}) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("b", s[0]);
                row.put("h", s[1]);
                row.put("t", s[2]);
                row.put("d", s[3]);
                row.put("causal", s[4] == 1);
                row.put("threads", threads);
                row.put("fwd_bwd_ms", round(attentionMs(s[0], s[1], s[2], s[3], s[4] == 1, threads)));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Entries {"n", "d", "threads", "fwd_bwd_ms"}. */
    public static List<Map<String, Object>> infonce() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("n", 4096);
            row.put("d", 512);
            row.put("threads", threads);
            row.put("fwd_bwd_ms", round(infonceMs(4096, 512, threads)));
            rows.add(row);
        }
        return rows;
    }

    /** Median milliseconds of one attention forward+backward pass. */
    public static double attentionMs(int b, int h, int t, int d, boolean causal, int threads) {
        Rng rng = new Rng(1);
        Tensor q = Tensor.randn(rng, 0f, 1f, b, h, t, d).requiresGrad(true); // (B, H, T, D)
        Tensor k = Tensor.randn(rng, 0f, 1f, b, h, t, d).requiresGrad(true);
        Tensor v = Tensor.randn(rng, 0f, 1f, b, h, t, d).requiresGrad(true);
        float[] seed = Tensor.randn(rng, 0f, 1f, b, h, t, d).toArray();
        float scale = (float) (1.0 / Math.sqrt(d));
        // gradients accumulate into q, k, v from pass to pass, as in PyTorch's loop (attention_fwd_bwd.py)
        return median(threads, () -> Attention.scaledDotProduct(q, k, v, causal, null, scale).backward(seed));
    }

    /** Median milliseconds of one InfoNCE forward+backward pass (gradients of both embeddings and the scale). */
    public static double infonceMs(int n, int e, int threads) {
        Rng rng = new Rng(2);
        Tensor img = unitRows(rng, n, e).requiresGrad(true), txt = unitRows(rng, n, e).requiresGrad(true);
        Tensor t = Tensor.scalar(2.6593f).requiresGrad(true);
        return median(threads, () -> {
            img.zeroGrad();
            txt.zeroGrad();
            t.zeroGrad();
            ContrastiveLoss.clip(img, txt, t).backward();
        });
    }

    static Tensor unitRows(Rng rng, int n, int e) {
        float[] x = Tensor.randn(rng, 0f, 1f, n, e).toArray(); // (N, E)
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < e; c++) s += x[i * e + c] * x[i * e + c];
            float inv = (float) (1 / Math.sqrt(s));
            for (int c = 0; c < e; c++) x[i * e + c] *= inv;
        }
        return Tensor.of(x, n, e);
    }

    private static double median(int threads, Runnable body) {
        int before = ComputePool.global().threads();
        ComputePool.setGlobalThreads(threads);
        try {
            for (int i = 0; i < WARMUP; i++) body.run();
            double[] ms = new double[REPS];
            for (int i = 0; i < REPS; i++) {
                long t0 = System.nanoTime();
                body.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            return ms[REPS / 2];
        } finally {
            ComputePool.setGlobalThreads(before);
        }
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }

    /** Prints both sections (for a quick look without the report main). */
    public static void main(String[] args) {
        attention().forEach(System.out::println);
        infonce().forEach(System.out::println);
    }
}
