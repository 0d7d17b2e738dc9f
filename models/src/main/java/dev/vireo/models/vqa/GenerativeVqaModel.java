package dev.vireo.models.vqa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.TextDecoder;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.vl.VlModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * BLIP's generative visual question answering (Li et al. 2022) on Vireo's fusion encoder: the
 * question, read by the {@link VlModel} with the image fused in, gives question states; an answer
 * decoder ({@link TextDecoder}) writes the answer from [CLS] (its begin token, BLIP's [DEC]),
 * cross-attending to those states. Unlike transformers' {@code BlipForQuestionAnswering}, the
 * decoder never reads the questions' padding, so an answer does not depend on how its batch was
 * padded. Early fusion's fused sequence holds the image positions after the text; the decoder reads
 * them all. Names: {@code fusion.*} (the VL model's own) and {@code text_decoder.*} (the captioner's).
 */
public final class GenerativeVqaModel extends Module {
    /** The run folder's answer decoder config (a BERT config), beside the VL model's {@code config.json}. */
    public static final String DECODER_CONFIG = "answer_decoder.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final VlModel fusion;
    private final TextDecoder decoder;

    /** Question states (B, T', C) and their mask (B, T'), 1 to read and 0 for padding, or null when no question is padded. */
    public record Questions(Tensor states, Tensor mask) {}

    public GenerativeVqaModel(VlConfig config, BertConfig decoderConfig, long seed) {
        this(config, decoderConfig, new Rng(seed));
    }

    public GenerativeVqaModel(VlConfig config, BertConfig decoderConfig, Rng rng) {
        if (config.fusion().equals("late")) {
            throw new IllegalArgumentException("vqa: late fusion has no fused question states to answer from; use early or mid");
        }
        if (config.answerClasses() != 0) throw new IllegalArgumentException("vqa: a generative model has no answer classifier (answerClasses must be 0)");
        if (decoderConfig.vocabSize() != config.text().vocabSize()) {
            throw new IllegalArgumentException("vqa: the answer decoder writes " + decoderConfig.vocabSize() + " tokens but the questions' vocabulary holds "
                    + config.text().vocabSize());
        }
        this.fusion = child("fusion", new VlModel(config, rng));
        this.decoder = child("text_decoder", new TextDecoder(rng, decoderConfig, config.text().hidden()));
    }

    /**
     * BLIP's answer decoder for {@code config}: the text stack's shape (its vocabulary, width,
     * heads, positions) in {@code layers} layers, no token types and no pooler.
     */
    public static BertConfig decoderConfig(VlConfig config, int layers) {
        BertConfig t = config.text();
        return new BertConfig(t.vocabSize(), t.hidden(), layers, t.heads(), t.intermediate(), t.maxPositions(), 0, t.layerNormEps(), t.activation(), false);
    }

    public VlConfig config() {
        return fusion.config();
    }

    public BertConfig decoderConfig() {
        return decoder.config();
    }

    public VlModel fusion() {
        return fusion;
    }

    public TextDecoder decoder() {
        return decoder;
    }

    /** images (B, 3, S, S), normalised → the image tokens the fusion layers read (B, P+1, Cv). */
    public Tensor imageTokens(Tensor images) {
        return fusion.imageTokens(images); // (B, P+1, Cv)
    }

    /**
     * Questions as ids (B·T, row-major, [CLS] question [SEP] then padding) with their mask (B, T)
     * (or null), row b about image tokens b of (B, S, Cv) → the states the answer decoder reads.
     */
    public Questions questions(int[] ids, Tensor mask, int batch, int length, Tensor imageTokens) {
        Tensor text = fusion.textTokens(ids, mask, batch, length);  // (B, T, C)
        Tensor fused = fusion.fuse(text, mask, imageTokens);         // (B, T, C), or (B, T + S, C) for early fusion
        if (mask == null || fused.size(1) == length) return new Questions(fused, mask);
        Tensor joint = ShapeOps.concat(1, mask, Tensor.ones(batch, fused.size(1) - length)); // (B, T + S)
        return new Questions(fused, joint);
    }

    /**
     * Teacher forcing: next-token logits (R, L, V) of R answer rows (ids R·L, [CLS] answer [SEP] and
     * right padding), row r reading question r of {@code questions} (R rows).
     */
    public Tensor answerLogits(int[] ids, int rows, int length, Questions questions) {
        return decoder.logits(decoder.forward(ids, rows, length, questions.states(), questions.mask())); // (R, L, V)
    }

    /** Decoding over G questions: the rows come in G equal groups, group g answering question g. */
    public Decoder answerDecoder(Questions questions) {
        return decoder.decoder(questions.states(), questions.mask());
    }

    /** The answer decoder config as the run folder keeps it. */
    public static String decoderJson(BertConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("vqa: cannot write the answer decoder config: " + e.getMessage(), e);
        }
    }

    /** The answer decoder config of a run folder ({@value #DECODER_CONFIG}). */
    public static BertConfig readDecoderConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no answer decoder config " + file);
        if (Files.size(file) > 64 * 1024) throw new IllegalArgumentException("answer decoder config " + file + " is larger than 64 KiB");
        try {
            return JSON.readValue(file.toFile(), BertConfig.class);
        } catch (IOException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("answer decoder config " + file + ": " + OneLine.of(String.valueOf(cause.getMessage())), e);
        }
    }
}
