package dev.vireo.engine;

import dev.vireo.engine.testing.Layers;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The engine's packages in layers, lowest first: a dependency upwards, a cycle between layers or a
 * package placed in no layer fails the build. tensor and autograd are one layer (the fluent Tensor
 * API delegates to the ops); every other package is its own. distributed (the collectives) needs nothing of Vireo's. The kernels depend on nothing but the
 * pool and the properties; the provider sees every family; no family sees another's provider.
 */
class EngineLayeringTest {
    static final List<List<String>> LAYERS = List.of(
            List.of("dev.vireo.engine"),
            List.of("dev.vireo.engine.distributed"),
            List.of("dev.vireo.engine.parallel"),
            List.of("dev.vireo.engine.kernel.row"),
            List.of("dev.vireo.engine.kernel.gemm"),
            List.of("dev.vireo.engine.kernel.attention"),
            List.of("dev.vireo.engine.kernel.optim"),
            List.of("dev.vireo.engine.kernel.contrastive"),
            List.of("dev.vireo.engine.kernel"),
            List.of("dev.vireo.engine.tensor", "dev.vireo.engine.autograd"),
            List.of("dev.vireo.engine.nn"),
            List.of("dev.vireo.engine.optim"),
            List.of("dev.vireo.engine.io.json"),
            List.of("dev.vireo.engine.io"));

    @Test
    void packagesDependOnlyOnLowerLayers() {
        Layers.assertLayered(Layers.mainClasses("dev.vireo.engine"), "dev.vireo.engine", LAYERS);
    }
}
