package dev.vireo.examples.projects;

import dev.vireo.examples.lessons.Lesson;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The course's projects, in the seed's order: the single list the CLI, the test that runs each on a
 * small budget and the pages read. A project is a {@link Lesson} in what it promises: it prints what it
 * does, checks its expected outcome and fails when it misses.
 */
public final class Projects {
    /** One project; {@code needs} names fetched data it reads ({@code bin/vireo data fetch NAME}). */
    public record Entry(String name, String summary, List<String> needs, Supplier<Lesson> factory) {
        public Entry {
            needs = List.copyOf(needs);
        }
    }

    private static final List<Entry> ALL = List.of(
            new Entry("P1ImageSearchEngine", "an image search engine with text queries: index, web server, queries over HTTP, R@K",
                    List.of(), P1ImageSearchEngine::new),
            new Entry("P2ZeroShotDetection", "zero-shot object detection from text prompts: heat map, box, IoU against the truth",
                    List.of(), P2ZeroShotDetection::new),
            new Entry("P3VqaSystem", "a visual question answering system: a trained model answers typed questions about pictures",
                    List.of(), P3VqaSystem::new),
            new Entry("P4FineTuneClip", "fine-tuning CLIP for a domain: zero-shot, linear probe, fine-tuned, WiSE-FT on Fashion-MNIST",
                    List.of("fashion-mnist"), P4FineTuneClip::new),
            new Entry("P5CompareFusion", "early, mid and late fusion on one budget: accuracy, compositional pairs, cost",
                    List.of(), P5CompareFusion::new));

    private Projects() {}

    public static List<Entry> all() {
        return ALL;
    }

    /** A project by name, case-insensitive, with or without its number ("P1ImageSearchEngine", "imagesearchengine", "P1"). */
    public static Optional<Entry> find(String name) {
        String n = name.toLowerCase();
        return ALL.stream().filter(e -> e.name().toLowerCase().equals(n) || e.name().substring(2).toLowerCase().equals(n)
                || e.name().substring(0, 2).toLowerCase().equals(n)).findFirst();
    }
}
