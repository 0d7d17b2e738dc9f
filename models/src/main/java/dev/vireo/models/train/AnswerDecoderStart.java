package dev.vireo.models.train;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.vqa.GenerativeVqaModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A generative VQA model's answer decoder started from a captioner's decoder, as BLIP starts its
 * answer decoder from its captioning decoder: the captioner read image tokens, the answer decoder
 * reads fused question states, so the two widths must agree. Every tensor is copied by name
 * ({@value #PREFIX}*, the same in both models) but the two whose rows are the vocabulary's (the word
 * embeddings, tied to the LM head, and the head's bias): their rows are copied token by token where
 * both vocabularies hold the token; the questions' and answers' new tokens start as initialised.
 */
final class AnswerDecoderStart {
    /** The decoder's tensors in a captioner and in a generative VQA model. */
    static final String PREFIX = "text_decoder.";

    private AnswerDecoderStart() {}

    /** The captioner's decoder shape over {@code config}'s vocabulary, after checking that it can read {@code config}'s question states. */
    static BertConfig decoderConfig(Path captionRun, VlConfig config) throws IOException {
        if (!CaptionRuns.isCaptionRun(captionRun)) throw new IllegalArgumentException("vqa: " + captionRun + " is not a caption run folder");
        CaptionConfig caption = CaptionConfig.fromJson(captionRun.resolve("config.json"));
        if (caption.vision().width() != config.text().hidden()) {
            throw new IllegalArgumentException("vqa: the captioner in " + captionRun + " has a decoder that reads " + caption.vision().width()
                    + "-wide image tokens, but the question states are " + config.text().hidden() + " wide");
        }
        BertConfig t = caption.text();
        return new BertConfig(config.text().vocabSize(), t.hidden(), t.layers(), t.heads(), t.intermediate(), t.maxPositions(), 0,
                t.layerNormEps(), t.activation(), false);
    }

    /** Copies the captioner's decoder into {@code model}'s; {@code vocabulary} is the model's tokens, in id order. */
    static void copy(Path captionRun, List<String> vocabulary, GenerativeVqaModel model) throws IOException {
        Map<String, Tensor> caption = Checkpoint.load(captionRun.resolve(ClipTrainer.CHECKPOINT)).model();
        List<String> captionTokens = Files.readAllLines(captionRun.resolve(CaptionRuns.VOCAB)).stream().filter(l -> !l.isEmpty()).toList();
        Map<String, Integer> captionIds = new HashMap<>();
        for (int i = 0; i < captionTokens.size(); i++) captionIds.putIfAbsent(captionTokens.get(i), i);
        int[] from = new int[vocabulary.size()]; // the captioner's id of each of our tokens, or -1
        for (int i = 0; i < from.length; i++) from[i] = captionIds.getOrDefault(vocabulary.get(i), -1);
        int copied = 0;
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) continue;
            Tensor source = caption.get(e.getKey());
            int[] to = e.getValue().value().shape();
            if (source == null) throw new IllegalArgumentException("answer decoder from " + captionRun + ": " + e.getKey() + " is missing there");
            boolean byToken = e.getKey().endsWith("word_embeddings.weight") || e.getKey().endsWith("predictions.bias");
            if (byToken && source.size(0) == captionTokens.size() && to[0] == from.length && source.numel() / source.size(0) == e.getValue().value().numel() / to[0]) {
                copyRows(e.getValue(), source, from);
            } else if (Arrays.equals(source.shape(), to)) {
                copyRows(e.getValue(), source, null);
            } else {
                throw new IllegalArgumentException("answer decoder from " + captionRun + ": " + e.getKey() + " is " + Arrays.toString(source.shape())
                        + " there but " + Arrays.toString(to) + " here");
            }
            copied++;
        }
        if (copied == 0) throw new IllegalArgumentException("answer decoder from " + captionRun + ": the model has no " + PREFIX + " tensors");
    }

    /** Row i of target takes row rows[i] of source (all rows in order when rows is null; a row of -1 keeps its value). */
    private static void copyRows(Parameter target, Tensor source, int[] rows) {
        Tensor to = target.value().dense();
        float[] values = source.dense().toArray();
        if (rows == null) {
            System.arraycopy(values, 0, to.array(), to.offset(), values.length);
            return;
        }
        int width = (int) (to.numel() / rows.length);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= 0) System.arraycopy(values, rows[i] * width, to.array(), to.offset() + i * width, width);
        }
    }
}
