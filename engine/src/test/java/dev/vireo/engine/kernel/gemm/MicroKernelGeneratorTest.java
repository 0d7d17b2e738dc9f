package dev.vireo.engine.kernel.gemm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The checked-in micro-kernels are exactly what the generator makes from the template. */
class MicroKernelGeneratorTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/vireo/engine/kernel/gemm");

    @Test
    void checkedInKernelsMatchTheTemplate() throws IOException {
        for (int bits : MicroKernelGenerator.ROWS.keySet()) {
            Path file = SOURCES.resolve(MicroKernelGenerator.fileName(bits));
            assertThat(Files.readString(file)).as(file + " differs from the template: regenerate it (MicroKernelGenerator's javadoc)")
                    .isEqualTo(MicroKernelGenerator.source(bits));
        }
    }
}
