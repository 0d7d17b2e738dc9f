package dev.vireo.models.vqa;

import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;

import java.util.List;

/**
 * A model that answers a question about an image: a classifier over an answer vocabulary (its
 * {@code top} answers scored by the sigmoid of their logits, as transformers' VQA pipeline scores
 * them) or a generative decoder (its answer decoded as text, {@code top} empty).
 */
public interface VisualQuestionAnswerer extends AutoCloseable {
    /** One answer with its score in [0, 1]. */
    record Scored(String answer, double score) {}

    /** The answer to one question, and for a classifier its {@code topK} best answers, best first. */
    record Answer(String answer, List<Scored> top) {}

    /**
     * Answers question i about image i; both lists have the same length. {@code topK} bounds the
     * scored answers of a classifier; {@code generation} drives a generative model's decoding.
     */
    List<Answer> answer(List<RgbImage> images, List<String> questions, int topK, GenerationConfig generation);

    @Override
    default void close() throws Exception {}
}
