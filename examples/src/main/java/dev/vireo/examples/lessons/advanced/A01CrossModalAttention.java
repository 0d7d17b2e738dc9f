package dev.vireo.examples.lessons.advanced;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.ImageOverlay;
import dev.vireo.models.bert.BertLayer;
import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Advanced 1: cross-modal attention by hand. In a mid-fusion layer the text asks and the image
 * answers: queries come from the caption's tokens, keys and values from the picture's patches, and
 * each word reads softmax(Q·Kᵀ/√D)·V, head by head, then LN(x + W_o·that). The lesson computes it
 * in double from the layer's own weights, then runs the library's fused attention kernel and the
 * whole sub-layer on the same inputs, and draws where each word of a held-out caption looks.
 * Checks: the kernel equals the formula within 1e-5, the sub-layer within 1e-5, a hidden patch
 * changes nothing. The map is printed and drawn: after a minute of training it is still diffuse.
 */
public final class A01CrossModalAttention implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region inputs
        // Step 1: a small mid-fusion model (ITC, ITM, MLM; shared with A02) and one held-out two-shape scene.
        ShapesData train = TinyVl.scenes(true, A02FusionStrategies.trainScenes(ctx.quick()));
        VlRuns.Loaded loaded = TinyVl.trained(A02FusionStrategies.run("mid", ctx.quick()), train, "train");
        VlModel model = loaded.model();
        VlScorer scorer = new VlScorer(model, loaded.tokenizer());
        ShapesData test = TinyVl.scenes(false, 40);
        int index = 0;
        while (test.scenes().get(index).shapes().size() != 2) index++;
        ShapeScene scene = test.scenes().get(index);
        String caption = scene.captions().getFirst();
        float[] pixels = new float[3 * TinyVl.IMAGE_SIZE * TinyVl.IMAGE_SIZE];
        test.image(index, pixels, 0);
        int first = model.firstFusionLayer();
        BertLayer layer = model.textLayer(first);
        Tensor image, text;
        try (var ignored = GradMode.noGrad()) {
            image = scorer.encodeImages(Tensor.of(pixels, 1, 3, TinyVl.IMAGE_SIZE, TinyVl.IMAGE_SIZE)).tokens(); // (1, S, Cv), S = 1 + P
            Tensor below = scorer.encodeTexts(List.of(caption)).tokens();                                      // (1, T, C)
            text = layer.attention().forward(below, below, null);   // (1, T, C): the layer's self-attention comes first
        }
        int t = text.size(1), s = image.size(1), c = text.size(2), heads = model.config().text().heads(), d = c / heads;
        out.printf("caption \"%s\": T = %d tokens of width C = %d; picture: S = %d image tokens (class + %d patches)%n", caption, t, c, s, s - 1);
        // endregion inputs

        // region by-hand
        // Step 2: the formula, in double, from the cross-attention's own weights.
        String prefix = "text_model.encoder.layer." + first + ".crossattention.";
        Map<String, Parameter> p = model.namedParameters();
        double[][] x = rows(text.dense().toArray(), t, c), ctxRows = rows(image.dense().toArray(), s, image.size(2));
        double[][] q = linear(x, p.get(prefix + "self.query.weight").value(), p.get(prefix + "self.query.bias").value());   // (T, C)
        double[][] k = linear(ctxRows, p.get(prefix + "self.key.weight").value(), p.get(prefix + "self.key.bias").value()); // (S, C)
        double[][] v = linear(ctxRows, p.get(prefix + "self.value.weight").value(), p.get(prefix + "self.value.bias").value()); // (S, C)
        double[][][] weights = new double[heads][t][s];   // (H, T, S): softmax over the image tokens
        double[][] attended = new double[t][c];           // (T, C): heads side by side
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < s; j++) {
                    double dot = 0;
                    for (int e = 0; e < d; e++) dot += q[i][h * d + e] * k[j][h * d + e];
                    weights[h][i][j] = dot / Math.sqrt(d);
                    max = Math.max(max, weights[h][i][j]);
                }
                for (int j = 0; j < s; j++) sum += weights[h][i][j] = Math.exp(weights[h][i][j] - max);
                for (int j = 0; j < s; j++) weights[h][i][j] /= sum;
                for (int e = 0; e < d; e++) {
                    double acc = 0;
                    for (int j = 0; j < s; j++) acc += weights[h][i][j] * v[j][h * d + e];
                    attended[i][h * d + e] = acc;
                }
            }
        }
        double[][] residual = linear(attended, p.get(prefix + "output.dense.weight").value(), p.get(prefix + "output.dense.bias").value());
        for (int i = 0; i < t; i++) for (int e = 0; e < c; e++) residual[i][e] += x[i][e];
        double[][] byHand = layerNorm(residual, p.get(prefix + "output.LayerNorm.weight").value().toArray(),
                p.get(prefix + "output.LayerNorm.bias").value().toArray(), model.config().text().layerNormEps()); // (T, C)
        // endregion by-hand

        // region kernel
        // Step 3: the library on the same inputs: the fused kernel on Q, K, V, then the whole sub-layer.
        Tensor qt = Tensor.of(flat(q), 1, t, c), kt = Tensor.of(flat(k), 1, s, c), vt = Tensor.of(flat(v), 1, s, c); // (1, T|S, C)
        Tensor fused = Attention.multiHead(qt, kt, vt, heads, false, null, (float) (1 / Math.sqrt(d)));             // (1, T, C)
        double kernelGap = maxGap(fused.dense().toArray(), flat(attended));
        Tensor sublayer;
        try (var ignored = GradMode.noGrad()) {
            sublayer = layer.crossAttention().forward(text, image, null); // (1, T, C)
        }
        double layerGap = maxGap(sublayer.dense().toArray(), flat(byHand));
        out.printf("fused kernel vs formula: max |difference| %.2e; whole sub-layer LN(x + W_o·attention): %.2e%n", kernelGap, layerGap);
        ok &= ctx.check("the fused kernel equals the formula within 1e-5", kernelGap < 1e-5);
        ok &= ctx.check("the library's cross-attention sub-layer equals LN(x + W_o·softmax(QKᵀ/√D)V) within 1e-5", layerGap < 1e-5);
        // A hidden key gets weight 0: with patch 5 masked out, its value may be anything.
        float[] keep = new float[s];
        Arrays.fill(keep, 1f);
        keep[5] = 0f;
        float[] noisy = vt.dense().toArray().clone();
        for (int e = 0; e < c; e++) noisy[5 * c + e] += 100f;
        Tensor mask = Tensor.of(keep, 1, s);                                                                        // (1, S)
        Tensor masked = Attention.multiHead(qt, kt, vt, heads, false, mask, (float) (1 / Math.sqrt(d)));            // (1, T, C)
        Tensor maskedNoisy = Attention.multiHead(qt, kt, Tensor.of(noisy, 1, s, c), heads, false, mask, (float) (1 / Math.sqrt(d))); // (1, T, C)
        ok &= ctx.check("a masked patch's value changes nothing", maxGap(masked.dense().toArray(), toDouble(maskedNoisy.dense().toArray())) == 0);
        // endregion kernel

        // region map
        // Step 4: where each word looks: the weights on the patches (the class token left out), averaged over heads.
        int grid = model.config().vision().grid();
        List<String> tokens = new ArrayList<>();
        for (int id : scorer.tokens(List.of(caption)).ids()) tokens.add(loaded.tokenizer().token(id));
        List<ImageOverlay.Panel> panels = new ArrayList<>();
        int[] regions = scene.patchLabels(grid);
        out.printf("token        share on the shapes' patches (the shapes cover %.0f%% of them)%n", 100.0 * covered(regions) / regions.length);
        double colourShare = 0;
        int colourWords = 0;
        for (int i = 0; i < t; i++) {
            float[] map = new float[grid * grid];
            double onShapes = 0, total = 0;
            for (int j = 1; j < s; j++) {
                for (int h = 0; h < heads; h++) map[j - 1] += (float) (weights[h][i][j] / heads);
                total += map[j - 1];
                if (regions[j - 1] != 0) onShapes += map[j - 1];
            }
            out.printf("%-12s %5.1f%%%n", tokens.get(i), 100 * onShapes / total);
            String token = tokens.get(i);
            if (scene.shapes().stream().anyMatch(sh -> sh.colour().word().equals(token))) {
                colourShare += onShapes / total;
                colourWords++;
            }
            panels.add(new ImageOverlay.Panel(tokens.get(i), map, grid, grid, new Box(0, 0, TinyVl.IMAGE_SIZE, TinyVl.IMAGE_SIZE), null));
        }
        RgbImage picture = new RgbImage(TinyVl.IMAGE_SIZE, TinyVl.IMAGE_SIZE, scene.renderRgb());
        ImageOverlay.save(ctx.file("a01_cross_attention.png"), "A01: where each word looks (first fusion layer, heads averaged)", picture, panels, 6);
        colourShare /= Math.max(1, colourWords);
        double uniform = (double) covered(regions) / regions.length;
        out.printf("colour words put %.1f%% of their attention on the shapes (uniform attention: %.1f%%; a01_cross_attention.png)%n",
                100 * colourShare, 100 * uniform);
        // endregion map
        return ok;
    }

    /** Patches under a shape (region label not 0, the background). */
    private static int covered(int[] regions) {
        int n = 0;
        for (int r : regions) if (r != 0) n++;
        return n;
    }

    private static double[][] rows(float[] values, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i][j] = values[i * cols + j];
        return m;
    }

    /** x (N, in) · Wᵀ + b with W (out, in), in double. */
    private static double[][] linear(double[][] x, Tensor weight, Tensor bias) {
        int outs = weight.size(0), ins = weight.size(1);
        float[] w = weight.dense().toArray(), b = bias.dense().toArray();
        double[][] y = new double[x.length][outs];
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < outs; o++) {
                double acc = b[o];
                for (int i = 0; i < ins; i++) acc += x[n][i] * w[o * ins + i];
                y[n][o] = acc;
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, float[] gamma, float[] beta, double eps) {
        double[][] y = new double[x.length][];
        for (int n = 0; n < x.length; n++) {
            int c = x[n].length;
            double mean = 0, var = 0;
            for (double e : x[n]) mean += e / c;
            for (double e : x[n]) var += (e - mean) * (e - mean) / c;
            y[n] = new double[c];
            for (int i = 0; i < c; i++) y[n][i] = (x[n][i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
        }
        return y;
    }

    private static float[] flat(double[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) f[i * m[i].length + j] = (float) m[i][j];
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static double maxGap(float[] a, float[] b) {
        return maxGap(a, toDouble(b));
    }

    private static double maxGap(float[] a, double[] b) {
        double gap = 0;
        for (int i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]));
        return gap;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new A01CrossModalAttention(), args);
    }
}
