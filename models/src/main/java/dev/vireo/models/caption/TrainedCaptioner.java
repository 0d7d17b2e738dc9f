package dev.vireo.models.caption;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.generate.ImageTextDecoding;
import dev.vireo.models.generate.Generator;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captioning with a Vireo model from a run folder ({@link CaptionModel}, or any
 * {@link ImageTextDecoding} model with the run's vocabulary and prompt): images resized, centre-cropped and
 * normalised as in training; the decoder starts from [CLS] (its begin token, as BLIP's [DEC]) and
 * the prompt's tokens, and stops at [SEP], decoding as {@link Generator} does (greedy, beams or
 * sampling). A null or blank prompt means the one the run was trained after.
 */
public final class TrainedCaptioner implements ImageCaptioner {
    /** Images per decoding batch. */
    private static final int CHUNK = 64;

    private final ImageTextDecoding model;
    private final WordPieceTokenizer tokenizer;
    private final String trainedPrompt;
    private final ClipPreprocessor preprocessor;

    public TrainedCaptioner(ImageTextDecoding model, WordPieceTokenizer tokenizer, String trainedPrompt) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.trainedPrompt = trainedPrompt;
        this.preprocessor = new ClipPreprocessor(ClipPreprocessConfig.openai(model.imageSize()));
    }

    public static TrainedCaptioner load(Path runDir) throws IOException {
        CaptionRuns.Loaded loaded = CaptionRuns.load(runDir);
        return new TrainedCaptioner(loaded.model(), loaded.tokenizer(), loaded.prompt());
    }

    /** [CLS] and the prompt's tokens (its [SEP] dropped). */
    public int[] promptIds(String prompt) {
        return CaptionRuns.promptIds(tokenizer, prompt == null || prompt.isBlank() ? trainedPrompt : prompt, model.maxPositions());
    }

    @Override
    public List<Caption> caption(List<RgbImage> images, String prompt, GenerationConfig generation) {
        List<Caption> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += CHUNK) {
            Tensor pixels = preprocessor.toTensor(images.subList(from, Math.min(images.size(), from + CHUNK))); // (n, 3, S, S)
            out.addAll(captionPixels(pixels, prompt, generation));
        }
        return out;
    }

    /** Captions of normalised images (N, 3, S, S), as {@link #caption}. */
    public List<Caption> captionPixels(Tensor pixels, String prompt, GenerationConfig generation) {
        int[] promptIds = promptIds(prompt);
        int positions = model.maxPositions(), n = pixels.size(0), t = promptIds.length;
        if (t + generation.maxNewTokens() > positions) {
            throw new IllegalArgumentException("caption: a prompt of " + t + " tokens and " + generation.maxNewTokens()
                    + " new tokens are more than the decoder's " + positions + " positions");
        }
        int[] prompts = new int[n * t]; // (N, T)
        for (int i = 0; i < n; i++) System.arraycopy(promptIds, 0, prompts, i * t, t);
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = model.imageTokens(pixels); // (N, S, Cv)
            int[][] rows = Generator.generate(model.decoder(tokens), prompts, n, t, generation, tokenizer.sepId(), tokenizer.padId());
            List<Caption> out = new ArrayList<>(n);
            for (int[] row : rows) out.add(new Caption(tokenizer.decode(row), row));
            return out;
        }
    }
}
