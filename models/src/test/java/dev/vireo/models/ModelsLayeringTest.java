package dev.vireo.models;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.vireo.engine.testing.Layers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The library's packages in layers, lowest first (a dependency upwards, a cycle or an unplaced
 * package fails the build), and no class an embedding application would not want: nothing of models
 * starts processes or draws plots (those live in examples).
 */
class ModelsLayeringTest {
    static final List<List<String>> LAYERS = List.of(
            List.of("dev.vireo.models.config"),
            List.of("dev.vireo.models.text"),
            List.of("dev.vireo.models.generate"),
            List.of("dev.vireo.models.image"),
            List.of("dev.vireo.models.data"),
            List.of("dev.vireo.models.data.shapes"),
            List.of("dev.vireo.models.bert"),
            List.of("dev.vireo.models.clip"),
            List.of("dev.vireo.models.lit"),
            List.of("dev.vireo.models.vl"),
            List.of("dev.vireo.models.caption", "dev.vireo.models.vqa", "dev.vireo.models.coca"),
            List.of("dev.vireo.models.hf"),
            List.of("dev.vireo.models.blip", "dev.vireo.models.vilt"),
            List.of("dev.vireo.models.train"),
            List.of("dev.vireo.models.eval"),
            List.of("dev.vireo.models"));
    private static final JavaClasses CLASSES = Layers.mainClasses("dev.vireo.models");

    @Test
    void packagesDependOnlyOnLowerLayers() {
        Layers.assertLayered(CLASSES, "dev.vireo.models", LAYERS);
    }

    @Test
    void theLibraryNeitherSpawnsProcessesNorPlots() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould().callMethod(Runtime.class, "exec", String[].class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.awt.Graphics2D")
                .because("models is the library an application embeds; processes and plots belong to examples")
                .check(CLASSES);
    }
}
