package dev.vireo.examples;

import dev.vireo.engine.testing.Layers;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The applications' packages in layers, lowest first: the shared pieces (plots, run reports, data
 * fetching), the demo, the lessons by level, the projects, the course catalogue that lists them, and the command
 * line on top. A dependency upwards, a cycle or an unplaced package fails the build.
 */
class ExamplesLayeringTest {
    static final List<List<String>> LAYERS = List.of(
            List.of("dev.vireo.examples.plot"),
            List.of("dev.vireo.examples.train"),
            List.of("dev.vireo.examples.simple"),
            List.of("dev.vireo.examples.data"),
            List.of("dev.vireo.examples.serve"),
            List.of("dev.vireo.examples.demo"),
            List.of("dev.vireo.examples.lessons"),
            List.of("dev.vireo.examples.lessons.beginner"),
            List.of("dev.vireo.examples.lessons.intermediate"),
            List.of("dev.vireo.examples.lessons.advanced"),
            List.of("dev.vireo.examples.projects"),
            List.of("dev.vireo.examples.course"),
            List.of("dev.vireo.examples.cli"));

    @Test
    void packagesDependOnlyOnLowerLayers() {
        Layers.assertLayered(Layers.mainClasses("dev.vireo.examples"), "dev.vireo.examples", LAYERS);
    }
}
