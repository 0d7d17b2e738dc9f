package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Image-text matching with a Vireo vision-language model from a run folder: images resized and
 * centre-cropped to the model's size and normalised as in training (CLIP's mean and deviation),
 * texts with the run's vocabulary. Early-fusion models have no cosine (NaN).
 */
public final class VlMatcher implements ImageTextMatcher {
    private final VlScorer scorer;
    private final ClipPreprocessor preprocessor;

    public VlMatcher(VlModel model, dev.vireo.models.text.WordPieceTokenizer tokenizer) {
        this.scorer = new VlScorer(model, tokenizer);
        this.preprocessor = new ClipPreprocessor(ClipPreprocessConfig.openai(model.config().vision().imageSize()));
    }

    public static VlMatcher load(Path runDir) throws IOException {
        VlRuns.Loaded loaded = VlRuns.load(runDir);
        return new VlMatcher(loaded.model(), loaded.tokenizer());
    }

    public VlScorer scorer() {
        return scorer;
    }

    @Override
    public List<PairScore> scorePairs(List<RgbImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException("itm: " + images.size() + " images for " + texts.size() + " texts");
        }
        Tensor pixels = preprocessor.toTensor(images);          // (N, 3, S, S)
        VlScorer.Images encodedImages = scorer.encodeImages(pixels);
        VlScorer.Texts encodedTexts = scorer.encodeTexts(texts);
        int n = images.size();
        int[] same = new int[n];
        for (int i = 0; i < n; i++) same[i] = i;
        float[] match = scorer.matchProbabilities(encodedImages, encodedTexts, same, same);
        float[] cosine = scorer.cosine(encodedImages, encodedTexts); // (N, N) or null
        List<PairScore> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new PairScore(match[i], cosine == null ? Double.NaN : cosine[i * n + i]));
        return out;
    }
}
