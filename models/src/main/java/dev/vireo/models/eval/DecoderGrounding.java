package dev.vireo.models.eval;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.AttentionProbe;
import dev.vireo.models.bert.BertAttention;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.generate.ImageTextDecoding;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.VlExplainer;
import dev.vireo.models.vl.VlModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Phrase grounding from an image-grounded text decoder: the decoder reads [CLS] and the phrase by
 * teacher forcing, and the heat map is its first cross-attention layer's attention from every
 * position of the phrase to the image patches, averaged over heads and positions (a captioner has to
 * look at an object to name it, as in Xu et al.'s "Show, Attend and Tell"); {@link HeatMapBox} boxes
 * it at {@value #FRACTION} of its range. Works for Vireo's captioner and for a VL model pretrained
 * with the lm objective (its decoder's cross-attention is the fusion layers'). Never trained on a box.
 *
 * <p>Chosen on held-out shapes scenes 1000 to 1199 with the captioner of {@code vireo demo caption}
 * among the decoder's layers (each, and their mean), query positions (all, the last, content words)
 * and fractions 0.2 to 0.5: the first layer over all positions at 0.4 reached Acc@0.5 0.87 there and
 * on scenes 0 to 199 (the fusion encoder's own attention maps: 0.26-0.49). The probe sits on the
 * model while a call runs: do not use the same model from another thread meanwhile.
 */
public final class DecoderGrounding {
    /** The heat map's threshold, as a fraction of its range. */
    public static final double FRACTION = 0.4;

    private final ImageTextDecoding model;
    private final BertAttention crossAttention;
    private final WordPieceTokenizer tokenizer;
    private final ClipPreprocessor preprocessor;
    private final int grid;

    private DecoderGrounding(ImageTextDecoding model, BertAttention crossAttention, VisionConfig vision, WordPieceTokenizer tokenizer) {
        this.model = model;
        this.crossAttention = crossAttention;
        this.tokenizer = tokenizer;
        this.preprocessor = new ClipPreprocessor(ClipPreprocessConfig.openai(vision.imageSize()));
        this.grid = vision.imageSize() / vision.patchSize();
    }

    /** Grounding with Vireo's captioner. */
    public static DecoderGrounding of(CaptionModel model, WordPieceTokenizer tokenizer) {
        return new DecoderGrounding(model, model.decoder().crossAttention(0), model.config().vision(), tokenizer);
    }

    /** Grounding with a VL model's text decoder (pretrained with lm); refused for a model without one. */
    public static DecoderGrounding of(VlModel model, WordPieceTokenizer tokenizer) {
        if (!model.hasDecoder()) {
            throw new IllegalArgumentException("grounding: VL model " + model.config().name() + " has no text decoder (pretrain it with the lm objective)");
        }
        return new DecoderGrounding(model, model.textLayer(model.firstFusionLayer()).crossAttention(), model.config().vision(), tokenizer);
    }

    /**
     * A located text: its box in input-image pixels, the heat map's maximum, the map [grid²] and
     * the part of the input the model saw (its window, in input pixels).
     */
    public record Located(Box box, double score, float[] heatMap, int grid, Box window) {}

    /** Where {@code text} is in {@code image}: the box in the image's pixels, the heat map's maximum and the map [grid²]. */
    public Located locate(RgbImage image, String text) {
        int side = model.imageSize();
        float[] map = heatMap(preprocessor.toTensor(List.of(image)), text); // (1, 3, S, S) in
        HeatMapBox.Prediction p = HeatMapBox.predict(map, grid, grid, side, side, FRACTION);
        Box window = VlExplainer.window(preprocessor.config(), image.width(), image.height());
        return new Located(p.box().fromWindow(window, side).clip(image.width(), image.height()), p.score(), map, grid, window);
    }

    /** The heat map [grid²] of a text over normalised pixels (1, 3, S, S). */
    public float[] heatMap(Tensor pixels, String text) {
        int[] ids = CaptionRuns.promptIds(tokenizer, text, model.maxPositions()); // [CLS] and the text's tokens
        AttentionProbe probe = new AttentionProbe();
        crossAttention.probe(probe);
        try (var ignored = GradMode.noGrad()) {
            model.logits(ids, 1, ids.length, model.imageTokens(pixels));
        } finally {
            crossAttention.probe(null);
        }
        Tensor a = probe.probabilities(); // (1, H, T, 1 + P)
        int heads = a.size(1), t = a.size(2), s = a.size(3);
        if (s != 1 + grid * grid) throw new IllegalStateException("grounding: " + s + " image tokens for a " + grid + "x" + grid + " patch grid");
        float[] p = a.toArray();
        float[] map = new float[grid * grid];
        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < t; q++) {
                for (int k = 1; k < s; k++) map[k - 1] += p[(h * t + q) * s + k] / (heads * t); // the class token left out
            }
        }
        return map;
    }

    /**
     * Accuracy@IoU≥0.5 on shapes scenes as {@link VlGrounding#evaluate} counts it: every shape of
     * every scene located by its phrase ({@link VlGrounding#query}) against the generator's box.
     */
    public GroundingMetrics.Result evaluate(List<ShapeScene> scenes) {
        List<Box> predicted = new ArrayList<>(), truth = new ArrayList<>();
        for (ShapeScene scene : scenes) {
            int size = scene.imageSize();
            RgbImage image = new RgbImage(size, size, scene.renderRgb());
            for (PlacedShape shape : scene.shapes()) {
                predicted.add(locate(image, VlGrounding.query(shape)).box());
                truth.add(shape.box(size));
            }
        }
        return GroundingMetrics.evaluate(predicted, truth, GroundingMetrics.DEFAULT_THRESHOLD);
    }
}
