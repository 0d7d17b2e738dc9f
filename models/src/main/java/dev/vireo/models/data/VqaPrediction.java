package dev.vireo.models.data;

import java.util.List;

/** A model's answer to a question, beside the question's human answers (ten in VQA v2): what VQA accuracy scores. */
public record VqaPrediction(String id, List<String> answers, String prediction) {
    public VqaPrediction {
        if (answers.isEmpty()) throw new IllegalArgumentException("question " + id + " has no human answer");
        answers = List.copyOf(answers);
    }
}
