package dev.vireo.models.coca;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a CoCa model from a Vireo run folder: {@code config.json} (a {@link CocaConfig}),
 * {@code checkpoint.safetensors}, and the captioner's {@value CaptionRuns#VOCAB} and
 * {@value CaptionRuns#PROMPT}. A damaged folder is refused with a one-line message.
 */
public final class CocaRuns {
    /** A loaded model in eval mode, its tokenizer and its prompt. */
    public record Loaded(CocaModel model, WordPieceTokenizer tokenizer, String prompt) {}

    private CocaRuns() {}

    /** Whether {@code dir} looks like a CoCa run folder (a config with caption queries, a vocabulary and a prompt file). */
    public static boolean isCocaRun(Path dir) {
        Path config = dir.resolve("config.json");
        try {
            return Files.isRegularFile(config) && Files.isRegularFile(dir.resolve(CaptionRuns.VOCAB)) && Files.isRegularFile(dir.resolve(CaptionRuns.PROMPT))
                    && Files.size(config) < 1 << 20 && Files.readString(config).contains("\"captionQueries\"");
        } catch (IOException e) {
            return false;
        }
    }

    public static Loaded load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
        Path config = dir.resolve("config.json"), ckpt = dir.resolve("checkpoint.safetensors");
        Path vocab = dir.resolve(CaptionRuns.VOCAB), prompt = dir.resolve(CaptionRuns.PROMPT);
        for (Path p : new Path[] {config, ckpt, vocab, prompt}) {
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("coca model folder " + dir + " has no " + p.getFileName());
        }
        if (Files.size(prompt) > 4096) throw new IllegalArgumentException("coca model folder " + dir + ": " + CaptionRuns.PROMPT + " is longer than 4 KiB");
        CocaConfig modelConfig = CocaConfig.fromJson(config);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(vocab, true);
        if (tokenizer.vocabSize() != modelConfig.text().vocabSize()) {
            throw new IllegalArgumentException("coca model folder " + dir + ": " + CaptionRuns.VOCAB + " holds " + tokenizer.vocabSize()
                    + " tokens but config.json says " + modelConfig.text().vocabSize());
        }
        Checkpoint checkpoint = Checkpoint.load(ckpt);
        modelConfig.checkFits(checkpoint.model().values().stream().mapToLong(Tensor::numel).sum(), dir.toString()); // before allocating
        CocaModel model = new CocaModel(modelConfig, Rng.forLoadedWeights()); // restoreModel fails unless every weight is there
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        checkpoint.restoreModel(params);
        model.eval();
        return new Loaded(model, tokenizer, Files.readString(prompt).strip());
    }
}
