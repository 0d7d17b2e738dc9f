package dev.vireo.models.vl;

import dev.vireo.models.data.Box;

import java.util.List;

/**
 * Where a vision-language model's text looked in one image ({@link VlExplainer}): for every text
 * token, maps over the image's patch grid (row-major {@code gridHeight × gridWidth}, the class
 * token dropped) by four methods:
 * <ul>
 *   <li>{@code attention[f][h][t]}: the attention probabilities of text token t to each patch in
 *       fusion layer f, head h (cross-attention; for early fusion the text→image block of the joint
 *       attention);</li>
 *   <li>{@code rollout[t]}: attention rollout through the fusion layers ({@link AttentionRollout});</li>
 *   <li>{@code fullRollout[t]}: the same rollout begun at the image tower's input, through its
 *       self-attention first, so the map is over the patches as they came in, not over tower
 *       outputs that may each hold a mix of the whole image;</li>
 *   <li>{@code gradCam[f][t]}: ALBEF's Grad-CAM in fusion layer f, mean over heads of
 *       A ⊙ max(0, ∂s/∂A), s the ITM match logit.</li>
 * </ul>
 * Fusion layer f is text layer {@code firstFusionLayer + f}. Arrays are held, not copied.
 *
 * @param tokens          the text's tokens as the model read them, [CLS] first and [SEP] last
 * @param window          the part of the input image the model saw (resized and centre-cropped to
 *                        {@code imageSize}²), in input-image pixels
 * @param matchLogit      the ITM logit of "the pair matches", what Grad-CAM differentiates
 * @param matchProbability the ITM match probability (softmax of the two logits)
 */
public record Explanation(List<String> tokens, int gridHeight, int gridWidth, int imageSize, Box window, int firstFusionLayer,
                          float[][][][] attention, float[][] rollout, float[][] fullRollout, float[][][] gradCam, double matchLogit,
                          double matchProbability) {

    /** How a map is made. */
    public enum Method {
        /** Attention probabilities of one fusion layer, averaged over heads. */
        ATTENTION,
        /** Attention rollout through all fusion layers (the layer is ignored). */
        ROLLOUT,
        /** Grad-CAM of the ITM match logit in one fusion layer. */
        GRADCAM,
        /** Attention rollout through the image tower's self-attention and then the fusion layers: a map over the input patches (the layer is ignored). */
        FULL_ROLLOUT;

        /** The lower-case name with '-' for '_': attention, rollout, gradcam, full-rollout. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** Whether the map is read in one fusion layer (attention, Grad-CAM); the rollouts span them all. */
        public boolean perLayer() {
            return this == ATTENTION || this == GRADCAM;
        }

        /** The method of its {@link #id()}, case ignored. */
        public static Method parse(String name) {
            for (Method m : values()) if (m.id().equalsIgnoreCase(name)) return m;
            throw new IllegalArgumentException("explain method '" + name + "' is not one of attention, rollout, gradcam, full-rollout");
        }
    }

    public int fusionLayers() {
        return attention.length;
    }

    public int heads() {
        return attention[0].length;
    }

    /** Patch cells of a map: gridHeight · gridWidth. */
    public int cells() {
        return gridHeight * gridWidth;
    }

    /**
     * The map of {@code method} in fusion layer {@code fusionLayer} ({@link #fusionLayer(int)};
     * rollout ignores it) averaged over the token positions given, attention also over heads.
     * → [gridHeight · gridWidth].
     */
    public float[] map(Method method, int fusionLayer, int[] positions) {
        checkPositions(positions);
        int f = method.perLayer() ? fusionLayer(fusionLayer) : 0;
        float[] out = new float[cells()];
        for (int t : positions) {
            switch (method) {
                case ATTENTION -> {
                    for (float[][] head : attention[f]) add(out, head[t], 1.0 / (heads() * positions.length));
                }
                case ROLLOUT -> add(out, rollout[t], 1.0 / positions.length);
                case FULL_ROLLOUT -> add(out, fullRollout[t], 1.0 / positions.length);
                case GRADCAM -> add(out, gradCam[f][t], 1.0 / positions.length);
            }
        }
        return out;
    }

    /** One head's attention in fusion layer {@code fusionLayer} averaged over the token positions given → [gridHeight · gridWidth]. */
    public float[] attention(int fusionLayer, int head, int[] positions) {
        checkPositions(positions);
        if (head < 0 || head >= heads()) throw new IllegalArgumentException("explanation: head " + head + " is not in 0.." + (heads() - 1));
        float[] out = new float[cells()];
        for (int t : positions) add(out, attention[fusionLayer(fusionLayer)][head][t], 1.0 / positions.length);
        return out;
    }

    /** A fusion layer's index: counted from the first fusion layer (0), or when negative from the last (-1). */
    public int fusionLayer(int index) {
        int f = index < 0 ? fusionLayers() + index : index;
        if (f < 0 || f >= fusionLayers()) {
            throw new IllegalArgumentException("explanation: fusion layer " + index + " is not one of the " + fusionLayers()
                    + " fusion layers (0.." + (fusionLayers() - 1) + ", or -1 for the last)");
        }
        return f;
    }

    private void checkPositions(int[] positions) {
        if (positions.length == 0) throw new IllegalArgumentException("explanation: no token positions to average over");
        for (int t : positions) {
            if (t < 0 || t >= tokens.size()) throw new IllegalArgumentException("explanation: token position " + t + " of " + tokens.size());
        }
    }

    /** A box in the model's {@code imageSize}² pixels → the input image's pixels (through {@link #window}). */
    public Box toInput(Box modelBox) {
        return modelBox.fromWindow(window, imageSize);
    }

    private static void add(float[] into, float[] values, double weight) {
        for (int i = 0; i < into.length; i++) into[i] += (float) (values[i] * weight);
    }
}
