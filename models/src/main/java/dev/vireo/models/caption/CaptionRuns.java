package dev.vireo.models.caption;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a captioner from a Vireo run folder: {@code config.json} (a {@link CaptionConfig}),
 * {@code checkpoint.safetensors}, {@value #VOCAB} and {@value #PROMPT} (the prompt it was trained to
 * continue, empty for none).
 */
public final class CaptionRuns {
    /** The run folder's WordPiece vocabulary, one token a line. */
    public static final String VOCAB = "vocab.txt";
    /** The prompt the captions were trained after (empty for none). */
    public static final String PROMPT = "prompt.txt";

    /** A loaded model in eval mode, its tokenizer and its prompt. */
    public record Loaded(CaptionModel model, WordPieceTokenizer tokenizer, String prompt) {}

    private CaptionRuns() {}

    /** Whether {@code dir} looks like a caption run folder (a config with neither a fusion nor CoCa's caption queries, a vocabulary and a prompt file). */
    public static boolean isCaptionRun(Path dir) {
        Path config = dir.resolve("config.json");
        try {
            if (!(Files.isRegularFile(config) && Files.isRegularFile(dir.resolve(VOCAB)) && Files.isRegularFile(dir.resolve(PROMPT)))) return false;
            String json = Files.readString(config);
            return !json.contains("\"fusion\"") && !json.contains("\"captionQueries\"");
        } catch (IOException e) {
            return false;
        }
    }

    public static Loaded load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
        Path config = dir.resolve("config.json"), ckpt = dir.resolve("checkpoint.safetensors"), vocab = dir.resolve(VOCAB), prompt = dir.resolve(PROMPT);
        for (Path p : new Path[] {config, ckpt, vocab, prompt}) {
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("caption model folder " + dir + " has no " + p.getFileName());
        }
        if (Files.size(prompt) > 4096) throw new IllegalArgumentException("caption model folder " + dir + ": " + PROMPT + " is longer than 4 KiB");
        CaptionConfig modelConfig = CaptionConfig.fromJson(config);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(vocab, true);
        if (tokenizer.vocabSize() != modelConfig.text().vocabSize()) {
            throw new IllegalArgumentException("caption model folder " + dir + ": " + VOCAB + " holds " + tokenizer.vocabSize()
                    + " tokens but config.json says " + modelConfig.text().vocabSize());
        }
        Checkpoint checkpoint = Checkpoint.load(ckpt);
        modelConfig.checkFits(checkpoint.model().values().stream().mapToLong(Tensor::numel).sum(), dir.toString()); // before allocating
        CaptionModel model = new CaptionModel(modelConfig, Rng.forLoadedWeights()); // restoreModel fails unless every weight is there
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        checkpoint.restoreModel(params);
        model.eval();
        return new Loaded(model, tokenizer, Files.readString(prompt).strip());
    }

    /** [CLS] (the begin token) and the prompt's tokens, its [SEP] dropped: where every caption starts. */
    public static int[] promptIds(WordPieceTokenizer tokenizer, String prompt, int maxLength) {
        int[] ids = tokenizer.encode(prompt == null ? "" : prompt, maxLength).ids();
        int end = 0;
        while (end < ids.length && ids[end] != tokenizer.sepId()) end++;
        return java.util.Arrays.copyOf(ids, end);
    }
}
