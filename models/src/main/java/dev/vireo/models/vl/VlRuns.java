package dev.vireo.models.vl;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a vision-language model from a Vireo run folder: {@code config.json} (a {@link VlConfig}),
 * {@code checkpoint.safetensors} and the text side's {@value #VOCAB}.
 */
public final class VlRuns {
    /** The run folder's WordPiece vocabulary, one token a line. */
    public static final String VOCAB = "vocab.txt";

    /** A loaded model in eval mode and its tokenizer. */
    public record Loaded(VlModel model, WordPieceTokenizer tokenizer) {}

    private VlRuns() {}

    /** Whether {@code dir} looks like a VL run folder (its config has a fusion). */
    public static boolean isVlRun(Path dir) {
        Path config = dir.resolve("config.json");
        try {
            return Files.isRegularFile(config) && Files.isRegularFile(dir.resolve(VOCAB)) && Files.readString(config).contains("\"fusion\"");
        } catch (IOException e) {
            return false;
        }
    }

    public static Loaded load(Path dir) throws IOException {
        Path config = dir.resolve("config.json"), ckpt = dir.resolve("checkpoint.safetensors"), vocab = dir.resolve(VOCAB);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
        for (Path p : new Path[] {config, ckpt, vocab}) {
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("VL model folder " + dir + " has no " + p.getFileName());
        }
        VlConfig modelConfig = VlConfig.fromJson(config);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(vocab, true);
        if (tokenizer.vocabSize() != modelConfig.text().vocabSize()) {
            throw new IllegalArgumentException("VL model folder " + dir + ": " + VOCAB + " holds " + tokenizer.vocabSize()
                    + " tokens but config.json says " + modelConfig.text().vocabSize());
        }
        Checkpoint checkpoint = Checkpoint.load(ckpt);
        modelConfig.checkFits(checkpoint.model().values().stream().mapToLong(Tensor::numel).sum(), dir.toString()); // before allocating
        VlModel model = new VlModel(modelConfig, Rng.forLoadedWeights()); // restoreModel fails unless every weight is there
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        checkpoint.restoreModel(params);
        model.eval();
        return new Loaded(model, tokenizer);
    }
}
