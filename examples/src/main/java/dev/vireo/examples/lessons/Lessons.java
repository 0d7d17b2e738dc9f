package dev.vireo.examples.lessons;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The course, in order: each lesson's name, level and one-line summary. */
public final class Lessons {

    /** One entry of the course. */
    public record Entry(String name, String level, String summary, Supplier<Lesson> factory) {}

    private static final List<Entry> ALL = List.of(
            new Entry("L01Tensors", "beginner", "tensors, views that share memory, broadcasting, matmul, the kernels", L01Tensors::new),
            new Entry("L02Autograd", "beginner", "backward() against finite differences on a neuron and an MLP, then SGD", L02Autograd::new),
            new Entry("L03TrainMlp", "beginner", "an MLP on 3-class spirals with AdamW and a warm-up/cosine schedule", L03TrainMlp::new));

    private Lessons() {}

    public static List<Entry> all() {
        return ALL;
    }

    /** A lesson by name, case-insensitive, with or without its number prefix ("L01Tensors", "tensors"). */
    public static Optional<Entry> find(String name) {
        String n = name.toLowerCase();
        return ALL.stream().filter(e -> e.name().toLowerCase().equals(n) || e.name().substring(3).toLowerCase().equals(n)
                || e.name().substring(0, 3).toLowerCase().equals(n)).findFirst();
    }
}
