package dev.vireo.models.vl;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.AttentionProbe;
import dev.vireo.models.bert.BertLayer;
import dev.vireo.models.clip.TransformerEncoder;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.config.VlConfig.LayerKind;
import dev.vireo.models.data.Box;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Looks inside a vision-language model's fusion layers for one image and one text: the attention
 * maps of every fusion layer and head, attention rollout (through the fusion layers, and through
 * the image tower too), and Grad-CAM on the ITM match logit
 * (ALBEF, Li et al. 2021, its visualisation recipe: the gradient of the match logit with respect
 * to a fusion layer's cross-attention probabilities, times the probabilities, clamped at 0,
 * averaged over heads, read at each text token). See {@link Explanation} for what each map holds.
 *
 * <p>One forward pass through the explain path of the fusion layers ({@link AttentionProbe}) and
 * one backward pass from the match logit. The image and the text-only layers run without a graph,
 * and the model's parameters are frozen for the pass (restored after), so its own gradients are
 * left as they were. The probes sit on the model while a call runs: do not use the same model
 * from another thread meanwhile. Late fusion has no fusion layer and is refused.
 */
public final class VlExplainer {
    private final VlModel model;
    private final WordPieceTokenizer tokenizer;
    private final ClipPreprocessor preprocessor;

    public VlExplainer(VlModel model, WordPieceTokenizer tokenizer) {
        VlConfig c = model.config();
        if (model.firstFusionLayer() == c.text().layers()) {
            throw new IllegalArgumentException("explain: " + c.name() + " fuses late (text and image meet only in the dot product of their"
                    + " embeddings), so no attention from text to image to show; use a mid or early fusion model");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocessor = new ClipPreprocessor(ClipPreprocessConfig.openai(c.vision().imageSize()));
    }

    /** An image of any size, resized and centre-cropped to the model's side as {@link VlMatcher} does, and a text. */
    public Explanation explain(RgbImage image, String text) {
        Tensor pixels = preprocessor.toTensor(List.of(image)); // (1, 3, S, S)
        return explain(pixels, text, window(image.width(), image.height()));
    }

    /** Normalised pixels (1, 3, S, S) at the model's side (as the training data gives them) and a text. */
    public Explanation explain(Tensor pixels, String text) {
        int side = model.config().vision().imageSize();
        int[] s = pixels.shape();
        if (s.length != 4 || s[0] != 1 || s[1] != 3 || s[2] != side || s[3] != side) {
            throw new IllegalArgumentException("explain: pixels " + Arrays.toString(s) + ", expected [1, 3, " + side + ", " + side + "]");
        }
        return explain(pixels, text, new Box(0, 0, side, side));
    }

    /** The part of a width × height input the model sees after the shortest side is resized to S and the centre S² cropped, in input pixels. */
    public Box window(int width, int height) {
        return window(preprocessor.config(), width, height);
    }

    /** The part of a width × height input that preprocessing {@code c} keeps (resize the shortest side, crop the centre), in input pixels. */
    public static Box window(ClipPreprocessConfig c, int width, int height) {
        int[] hw = ClipPreprocessor.resizedSize(c, height, width);
        int top = Math.floorDiv(hw[0] - c.cropHeight(), 2), left = Math.floorDiv(hw[1] - c.cropWidth(), 2);
        double sy = (double) height / hw[0], sx = (double) width / hw[1];
        return new Box(left * sx, top * sy, (left + c.cropWidth()) * sx, (top + c.cropHeight()) * sy).clip(width, height);
    }

    /** What one pass through the explain path read: per fusion layer the probabilities and gradients (flat), and the two ITM logits. */
    private record Pass(float[][] self, float[][] fused, float[][] gradients, float[] logits) {}

    private Explanation explain(Tensor pixels, String text, Box window) {
        if (!GradMode.isEnabled()) throw new IllegalStateException("explain: gradients are off on this thread (inside GradMode.noGrad); Grad-CAM needs them");
        VlConfig c = model.config();
        int[] ids = tokenIds(text);
        int t = ids.length, first = model.firstFusionLayer(), fusion = c.text().layers() - first, heads = c.text().heads();
        int grid = c.vision().imageSize() / c.vision().patchSize(), cells = grid * grid;
        boolean joint = c.layerKind(first) == LayerKind.JOINT;
        // 1. the image and the text-only layers, without a graph; the image tower's own attention for the full rollout
        Tensor image, words;
        List<Tensor> tower;
        try (var ignored = GradMode.noGrad()) {
            TransformerEncoder.Traced traced = model.imageTokensWithAttention(pixels);
            image = traced.output();                   // (1, S, Cv)
            tower = traced.attention();                // each (1, Hv, S, S)
            words = model.textTokens(ids, null, 1, t); // (1, T, C)
        }
        int s = image.size(1);
        // 2. the fusion layers on the explain path, and back from the match logit
        Pass pass = probe(words, image, joint);
        // 3. per fusion layer: the text rows' probabilities over the patches (class token dropped), Grad-CAM, rollout's steps
        int rowLength = joint ? t + s : s, column0 = joint ? t + 1 : 1;
        float[][][][] attention = new float[fusion][heads][t][cells];
        float[][][] gradCam = new float[fusion][t][cells];
        List<double[][]> steps = new ArrayList<>();
        for (int f = 0; f < fusion; f++) {
            float[] p = pass.fused()[f], g = pass.gradients()[f]; // (1, H, rows, rowLength) flat
            int rows = p.length / (heads * rowLength);
            for (int h = 0; h < heads; h++) {
                for (int ti = 0; ti < t; ti++) {
                    int row = (h * rows + ti) * rowLength + column0;
                    for (int cell = 0; cell < cells; cell++) {
                        float a = p[row + cell];
                        attention[f][h][ti][cell] = a;
                        gradCam[f][ti][cell] += a * Math.max(0f, g[row + cell]) / heads; // A ⊙ max(0, ∂s/∂A), mean over heads
                    }
                }
            }
            if (joint) {
                steps.add(headMean(pass.self()[f], heads, t + s, t + s));
            } else {
                steps.add(AttentionRollout.selfStep(headMean(pass.self()[f], heads, t, t), t, s));
                steps.add(AttentionRollout.crossStep(headMean(p, heads, t, s), t, s));
            }
        }
        // 4. rollout's text→image block, class token dropped; the full rollout runs the image tower's steps first
        float[][] rollout = textToPatches(AttentionRollout.rollout(steps, t + s), t, cells);
        List<double[][]> fullSteps = new ArrayList<>();
        for (Tensor a : tower) fullSteps.add(AttentionRollout.imageStep(headMean(a.toArray(), a.size(1), s, s), t, s));
        fullSteps.addAll(steps);
        float[][] fullRollout = textToPatches(AttentionRollout.rollout(fullSteps, t + s), t, cells);
        List<String> tokens = new ArrayList<>(t);
        for (int id : ids) tokens.add(tokenizer.token(id));
        float[] l = pass.logits();
        double probability = 1 / (1 + Math.exp((double) l[0] - l[1]));
        return new Explanation(List.copyOf(tokens), grid, grid, c.vision().imageSize(), window, first, attention, rollout, fullRollout, gradCam, l[1],
                probability);
    }

    /**
     * Probes on every fusion layer's attention, the parameters frozen, the match logits computed and
     * differentiated; everything put back as it was after.
     */
    private Pass probe(Tensor words, Tensor image, boolean joint) {
        int first = model.firstFusionLayer(), fusion = model.config().text().layers() - first;
        AttentionProbe[] self = new AttentionProbe[fusion], cross = new AttentionProbe[fusion];
        List<Parameter> params = new ArrayList<>(model.namedParameters().values());
        boolean[] trainable = new boolean[params.size()];
        for (int i = 0; i < trainable.length; i++) {
            trainable[i] = params.get(i).trainable();
            params.get(i).value().requiresGrad(false);
        }
        try {
            for (int f = 0; f < fusion; f++) {
                BertLayer layer = model.textLayer(first + f);
                layer.attention().probe(self[f] = new AttentionProbe());
                if (!joint) layer.crossAttention().probe(cross[f] = new AttentionProbe());
            }
            AttentionProbe[] fused = joint ? self : cross;
            Tensor logits = model.matchLogits(words, null, image); // (1, 2)
            float[] l = logits.toArray();
            // the probabilities are read before the backward pass, which may hand activations back to the pool
            float[][] selfP = new float[fusion][], fusedP = new float[fusion][], gradients = new float[fusion][];
            for (int f = 0; f < fusion; f++) {
                selfP[f] = self[f].probabilities().toArray();  // (1, H, T', T') flat: T' = T, or T + S for early fusion
                fusedP[f] = fused[f].probabilities().toArray(); // (1, H, T, S), or (1, H, T + S, T + S) for early fusion
            }
            logits.backward(new float[] {0f, 1f}); // ∂(match logit)
            for (int f = 0; f < fusion; f++) gradients[f] = fused[f].gradient().toArray(); // as fusedP[f]
            return new Pass(selfP, fusedP, gradients, l);
        } finally {
            for (int f = 0; f < fusion; f++) {
                BertLayer layer = model.textLayer(first + f);
                layer.attention().probe(null);
                if (!joint) layer.crossAttention().probe(null);
            }
            for (int i = 0; i < trainable.length; i++) params.get(i).value().requiresGrad(trainable[i]);
        }
    }

    /** [CLS] text [SEP] truncated to the model's positions; refuses a text with no word the vocabulary knows. */
    private int[] tokenIds(String text) {
        int[] ids = tokenizer.batch(List.of(text), model.config().text().maxPositions(), true).ids(); // one row: no padding
        boolean known = false;
        for (int i = 1; i < ids.length - 1; i++) known |= ids[i] != tokenizer.unkId();
        if (!known) {
            throw new IllegalArgumentException("text '" + text + "' has no word the model's vocabulary knows ("
                    + (ids.length <= 2 ? "it is empty" : "every piece is [UNK]") + ")");
        }
        return ids;
    }

    /** A rollout R [T + S][T + S] → each text token's row over the patches [T][cells], the class token (column T) dropped. */
    private static float[][] textToPatches(double[][] r, int t, int cells) {
        float[][] out = new float[t][cells];
        for (int ti = 0; ti < t; ti++) for (int cell = 0; cell < cells; cell++) out[ti][cell] = (float) r[ti][t + 1 + cell];
        return out;
    }

    /** Probabilities (1, H, rows, cols) flat → their mean over heads [rows][cols]. */
    private static double[][] headMean(float[] p, int heads, int rows, int cols) {
        if (p.length != heads * rows * cols) throw new IllegalStateException("explain: " + p.length + " probabilities for " + heads + " x " + rows + " x " + cols);
        double[][] out = new double[rows][cols];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) out[i][j] += p[(h * rows + i) * cols + j] / (double) heads;
            }
        }
        return out;
    }
}
