package dev.vireo.models.train;

import java.util.List;

/**
 * Visual question answering data: images, each with its questions in place of captions
 * ({@link #captions} lists them), and for each question its answers with soft scores in [0, 1]
 * (1 for an answer everyone gave; VQA v2 scores an answer by how many of its ten annotators gave it)
 * and its question type, which evaluation reports accuracy by.
 */
public interface QuestionAnswerData extends ImageTextData {
    /** An answer and its score. */
    record ScoredAnswer(String answer, float score) {}

    /** The scored answers of question {@code question} of image {@code image} (at least one). */
    List<ScoredAnswer> answers(int image, int question);

    /** The type of question {@code question} of image {@code image} (count, colour, yes/no, ...). */
    String questionType(int image, int question);
}
