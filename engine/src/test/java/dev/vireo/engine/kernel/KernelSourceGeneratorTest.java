package dev.vireo.engine.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checked-in generated kernels are exactly what the generator makes from the templates. */
class KernelSourceGeneratorTest {
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void checkedInSourcesMatchTheTemplates() throws IOException {
        for (KernelSourceGenerator.Source s : KernelSourceGenerator.sources()) {
            Path file = MAIN.resolve(s.path());
            assertThat(Files.readString(file)).as(file + " differs from its template: regenerate it (KernelSourceGenerator's javadoc)")
                    .isEqualTo(s.text());
        }
    }

    @Test
    void blocksRepeatPerRowAndUnsetKeysFail() {
        String t = "a {{x}}\n#each t\n  {{v}};\n#end\nz";
        assertThat(KernelSourceGenerator.expand(t, Map.of("x", "1"), Map.of("t", List.of(Map.of("v", "p"), Map.of("v", "q")))))
                .isEqualTo("a 1\n  p;\n  q;\nz");
        assertThatThrownBy(() -> KernelSourceGenerator.expand(t, Map.of(), Map.of("t", List.of())))
                .hasMessageContaining("left unset");
    }
}
