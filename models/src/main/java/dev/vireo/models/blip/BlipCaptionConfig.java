package dev.vireo.models.blip;

import dev.vireo.models.hf.HfJsonFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A {@code BlipForConditionalGeneration} config.json: the vision tower and text decoder
 * ({@link BlipConfig}'s parsing, the same defaults) and the decoder's special tokens from
 * {@code text_config}: {@code bos_token_id} ([DEC], which replaces the prompt's [CLS]),
 * {@code sep_token_id} (the end of a caption: BLIP generates with eos = [SEP]) and
 * {@code pad_token_id}, with transformers' defaults 30522, 102 and 0.
 */
public record BlipCaptionConfig(BlipConfig blip, int bosId, int sepId, int padId) {
    public BlipCaptionConfig {
        int vocab = blip.text().vocabSize();
        for (int id : new int[] {bosId, sepId, padId}) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("blip: text_config token ids (bos " + bosId + ", sep " + sepId + ", pad " + padId
                        + ") must lie in the vocabulary of " + vocab);
            }
        }
    }

    /** Reads config.json; refuses another model type or another BLIP head. */
    public static BlipCaptionConfig read(Path file) throws IOException {
        BlipConfig blip = BlipConfig.read(file, "BlipForConditionalGeneration");
        String source = file.toString();
        HfJsonFields t = new HfJsonFields(HfJsonFields.readTree(Files.readAllBytes(file), source), source, "")
                .section("text_config", "text_config_dict");
        try {
            return new BlipCaptionConfig(blip, t.integer("bos_token_id", 30522), t.integer("sep_token_id", 102), t.integer("pad_token_id", 0));
        } catch (IllegalArgumentException e) {
            throw HfJsonFields.problem(source, e.getMessage());
        }
    }

    /**
     * The weights the captioning model holds: the vision tower and BLIP's text encoder-sized
     * decoder ({@link BlipConfig#parameters()}, less the retrieval heads, plus the LM head's
     * transform and bias; the decoder weight is tied to the word embeddings).
     */
    public double parameters() {
        double h = blip.text().hidden(), cv = blip.vision().hidden(), e = blip.embedDim();
        double retrievalHeads = (cv * e + e) + (h * e + e) + (2 * h + 2);
        double lmHead = h * h + h + 2 * h + blip.text().vocabSize();
        return blip.parameters() - retrievalHeads + lmHead;
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
