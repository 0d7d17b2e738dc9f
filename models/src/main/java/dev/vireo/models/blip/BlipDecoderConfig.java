package dev.vireo.models.blip;

import dev.vireo.models.hf.HfJsonFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The config.json of a BLIP head with a text decoder ({@code BlipForConditionalGeneration},
 * {@code BlipForQuestionAnswering}): the vision tower and text layers ({@link BlipConfig}'s parsing,
 * the same defaults) and the decoder's special tokens from
 * {@code text_config}: {@code bos_token_id} ([DEC], which replaces the prompt's [CLS]),
 * {@code sep_token_id} (the end of a caption: BLIP generates with eos = [SEP]) and
 * {@code pad_token_id}, with transformers' defaults 30522, 102 and 0.
 */
public record BlipDecoderConfig(BlipConfig blip, int bosId, int sepId, int padId, boolean questionEncoder) {
    public BlipDecoderConfig {
        int vocab = blip.text().vocabSize();
        for (int id : new int[] {bosId, sepId, padId}) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("blip: text_config token ids (bos " + bosId + ", sep " + sepId + ", pad " + padId
                        + ") must lie in the vocabulary of " + vocab);
            }
        }
    }

    /** Reads a BlipForConditionalGeneration config.json; refuses another model type or another BLIP head. */
    public static BlipDecoderConfig read(Path file) throws IOException {
        return read(file, "BlipForConditionalGeneration");
    }

    /**
     * Reads the config.json of {@code architecture}, BlipForConditionalGeneration or
     * BlipForQuestionAnswering (which adds a question encoder); refuses another model type or head.
     */
    public static BlipDecoderConfig read(Path file, String architecture) throws IOException {
        boolean vqa = architecture.equals("BlipForQuestionAnswering");
        if (!vqa && !architecture.equals("BlipForConditionalGeneration")) {
            throw new IllegalArgumentException("blip: " + architecture + " has no text decoder");
        }
        BlipConfig blip = BlipConfig.read(file, architecture);
        String source = file.toString();
        HfJsonFields t = new HfJsonFields(HfJsonFields.readTree(Files.readAllBytes(file), source), source, "")
                .section("text_config", "text_config_dict");
        try {
            return new BlipDecoderConfig(blip, t.integer("bos_token_id", 30522), t.integer("sep_token_id", 102), t.integer("pad_token_id", 0), vqa);
        } catch (IllegalArgumentException e) {
            throw HfJsonFields.problem(source, e.getMessage());
        }
    }

    /**
     * The weights the model holds: the vision tower and a decoder of the text encoder's size
     * ({@link BlipConfig#parameters()}, less the retrieval heads, plus the LM head's transform and
     * bias; the decoder weight is tied to the word embeddings), and for VQA the question encoder too.
     */
    public double parameters() {
        double h = blip.text().hidden(), cv = blip.vision().hidden(), e = blip.embedDim();
        double retrievalHeads = (cv * e + e) + (h * e + e) + (2 * h + 2);
        double lmHead = h * h + h + 2 * h + blip.text().vocabSize();
        double decoderModel = blip.parameters() - retrievalHeads + lmHead;
        return questionEncoder ? decoderModel + (blip.parameters() - retrievalHeads - blip.vision().parameters()) : decoderModel;
    }

    /** {@link BlipConfig#checkFits} for this model's size. */
    public void checkFits(long held, String source) {
        if (parameters() > 2.0 * held + 65_536) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the BLIP config needs %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, parameters(), held));
        }
    }
}
