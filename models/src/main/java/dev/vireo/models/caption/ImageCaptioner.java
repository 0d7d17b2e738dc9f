package dev.vireo.models.caption;

import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;

import java.util.List;

/**
 * A model that writes a caption for an image. Each implementation preprocesses images and
 * tokenizes the prompt as its checkpoint expects.
 */
public interface ImageCaptioner extends AutoCloseable {
    /**
     * One caption: {@code ids} the whole sequence decoding returned (prompt included, as transformers'
     * {@code generate} returns it), {@code text} those ids decoded without special tokens.
     */
    record Caption(String text, int[] ids) {}

    /** One caption per image, in order, continuing {@code prompt} (empty for none). */
    List<Caption> caption(List<RgbImage> images, String prompt, GenerationConfig generation);

    @Override
    default void close() throws Exception {}
}
