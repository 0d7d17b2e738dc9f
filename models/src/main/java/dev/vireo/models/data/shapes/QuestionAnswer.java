package dev.vireo.models.data.shapes;

/**
 * A question about a scene with its one-word answer; {@code type} groups questions for per-type
 * accuracy (count, colour, size, position, shape, exists, relation).
 */
public record QuestionAnswer(String question, String answer, String type) {}
