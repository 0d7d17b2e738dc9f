package dev.vireo.examples.lessons.intermediate;

import dev.vireo.examples.lessons.Lesson;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.TextTransformer;
import dev.vireo.models.clip.TransformerEncoder;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.text.ClipTokenizer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lesson 5 (intermediate): CLIP's text encoder. Byte-pair encoding turns a caption into ids between
 * a start and an end token; a causal transformer lets each token see only the tokens before it; the
 * caption's feature is the state at the end token. Checks: decoding gives the caption back, a later
 * token cannot change earlier outputs, and a tiny text tower learns to read a shape's colour.
 */
public final class I02TextEncoder implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;
        TextConfig tc = ClipConfig.create("tiny").text();
        int ctxLen = tc.contextLength();

        // region tokenize
        // Step 1: BPE. Frequent words are one token; rarer ones split into pieces. Padding follows the end token.
        ClipTokenizer tok = ClipTokenizer.openai();
        String caption = "a small red circle on the left";
        int[] ids = tok.encode(caption, ctxLen);                                   // (T,) padded to the context
        out.println("\"" + caption + "\" → " + Arrays.toString(ids));
        for (String word : List.of("triangle", "vireo")) {
            int[] pieces = tok.tokenize(word);
            StringBuilder sb = new StringBuilder();
            for (int id : pieces) sb.append(" '").append(tok.token(id)).append("'=").append(id);
            out.println("  " + word + " →" + sb);
        }
        String back = tok.decodeText(ids);
        out.println("decoded: \"" + back + "\"");
        ok &= ctx.check("decode(encode(caption)) gives the caption back", back.equals(caption));
        // endregion tokenize

        // region causal
        // Step 2: the causal mask. Change the token at position 5: outputs at positions 0..4 must not move.
        Rng rng = new Rng(5);
        TransformerEncoder encoder = new TransformerEncoder(rng, tc.width(), tc.layers(), tc.heads(), tc.mlpWidth(), Activation.GELU);
        Tensor x = Tensor.randn(rng, 0f, 1f, 1, 8, tc.width());                  // (1, T, C)
        float[] changed = x.toArray();
        for (int c = 0; c < tc.width(); c++) changed[5 * tc.width() + c] += 1f;   // perturb token 5
        float[] before, after;
        try (var ignored = GradMode.noGrad()) {
            before = encoder.forward(x, true).toArray();                           // (1, T, C)
            after = encoder.forward(Tensor.of(changed, 1, 8, tc.width()), true).toArray();
        }
        double past = 0, future = 0;
        for (int i = 0; i < before.length; i++) {
            double d = Math.abs(before[i] - after[i]);
            if (i < 5 * tc.width()) past = Math.max(past, d);
            else future = Math.max(future, d);
        }
        out.printf("perturbing token 5: largest change at positions 0-4 = %.1e, at 5-7 = %.3f%n", past, future);
        ok &= ctx.check("the causal mask hides later tokens from earlier ones (to float rounding)", past < 1e-5 && future > 1e-3);
        // endregion causal

        // region pooling
        // Step 3: pooling. The feature is read at the end token, so padding after it changes nothing.
        TextTransformer text = new TextTransformer(rng, tc);
        int end = 0;
        while (ids[end] != tok.endId()) end++;
        int[] noisyPad = ids.clone();
        for (int i = end + 1; i < ctxLen; i++) noisyPad[i] = 1000 + i;             // junk after the end token
        float[] pooledA, pooledB;
        try (var ignored = GradMode.noGrad()) {
            pooledA = text.forward(ids, 1, ctxLen).toArray();                      // (1, C)
            pooledB = text.forward(noisyPad, 1, ctxLen).toArray();                 // (1, C)
        }
        double moved = 0;
        for (int i = 0; i < pooledA.length; i++) moved = Math.max(moved, Math.abs(pooledA[i] - pooledB[i]));
        out.printf("end token at position %d of %d; junk after it moves the pooled feature by at most %.1e%n", end, ctxLen, moved);
        ok &= ctx.check("tokens after the end token do not change the pooled feature (to float rounding)", moved < 1e-5);
        // endregion pooling

        // region classifier
        // Step 4: a tiny text classifier: text tower + linear head, predicting the colour a caption names.
        List<String> trainText = new ArrayList<>(), testText = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>(), testY = new ArrayList<>();
        collect(ShapesWorld.train(ctx.quick() ? 120 : 600, new ShapesWorld.Config(32, 1, 1)), trainText, trainY);
        collect(ShapesWorld.test(100, new ShapesWorld.Config(32, 1, 1)), testText, testY);
        Linear head = new Linear(rng, tc.width(), 8, true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        text.namedParameters().forEach((n, p) -> params.put("text." + n, p.value()));
        head.namedParameters().forEach((n, p) -> params.put("head." + n, p.value()));
        AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 3e-3, 0.01));
        int steps = ctx.quick() ? 40 : 200, b = 32;
        for (int step = 0; step < steps; step++) {
            int start = step * b % (trainText.size() - b + 1);
            int[] batchIds = flatten(tok.encodeBatch(trainText.subList(start, start + b), ctxLen)); // (B·T,)
            int[] y = trainY.subList(start, start + b).stream().mapToInt(Integer::intValue).toArray();
            Tensor loss = Losses.crossEntropy(head.forward(text.forward(batchIds, b, ctxLen)), y); // ()
            loss.backward();
            adamw.step();
            adamw.zeroGrad();
            if (step % Math.max(1, steps / 4) == 0) out.printf("  step %3d  loss %.3f%n", step, loss.item());
        }
        int hits = 0;
        try (var ignored = GradMode.noGrad()) {
            int n = testText.size();
            float[] logits = head.forward(text.forward(flatten(tok.encodeBatch(testText, ctxLen)), n, ctxLen)).toArray(); // (N, 8)
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < 8; c++) if (logits[i * 8 + c] > logits[i * 8 + best]) best = c;
                if (best == testY.get(i)) hits++;
            }
        }
        double acc = (double) hits / testText.size();
        out.printf("held-out colour accuracy %.1f%% on %d captions (chance 12.5%%)%n", 100 * acc, testText.size());
        ok &= ctx.check("the text tower reads the colour from >= 90% of held-out captions", acc >= 0.90);
        // endregion classifier
        return ok;
    }

    /** Every caption of every one-shape scene, labelled with the shape's colour. */
    static void collect(List<ShapeScene> scenes, List<String> texts, List<Integer> labels) {
        for (ShapeScene s : scenes) {
            for (String c : s.captions()) {
                texts.add(c);
                labels.add(s.mainShape().colour().ordinal());
            }
        }
    }

    static int[] flatten(int[][] rows) {
        int[] flat = new int[rows.length * rows[0].length];                        // (B, T) row-major
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, flat, r * rows[r].length, rows[r].length);
        return flat;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I02TextEncoder(), args);
    }
}
