package dev.vireo.models.data;

import java.util.List;

/**
 * One VQA v2 question with its annotation: the image it asks about, the question, the question type
 * ("what color is the") and answer type ("yes/no", "number", "other"), and the ten human answers as
 * the annotators typed them (not normalised).
 */
public record VqaItem(long questionId, long imageId, String question, String questionType, String answerType, List<String> answers) {
    public VqaItem {
        answers = List.copyOf(answers);
    }
}
