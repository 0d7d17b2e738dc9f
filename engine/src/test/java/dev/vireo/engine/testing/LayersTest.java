package dev.vireo.engine.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.vireo.engine.kernel.row.ScalarMath;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layering check fails on a dependency upwards and on a package placed in no layer. */
class LayersTest {

    @Test
    void aDependencyUpwardsFails() {
        JavaClasses classes = new ClassFileImporter().importClasses(Tensor.class);
        assertThatThrownBy(() -> Layers.assertLayered(classes, "dev.vireo.engine",
                List.of(List.of("dev.vireo.engine.tensor"), List.of("dev.vireo.engine.kernel.row"))))
                .hasMessageContaining("Tensor").hasMessageContaining("UnaryOp");
    }

    @Test
    void anUnplacedPackageFailsAndAPlacedOnePasses() {
        JavaClasses classes = new ClassFileImporter().importClasses(ScalarMath.class, UnaryOp.class);
        assertThatThrownBy(() -> Layers.assertLayered(classes, "dev.vireo.engine", List.of(List.of("dev.vireo.engine.tensor"))))
                .hasMessageContaining("packages in no layer").hasMessageContaining("dev.vireo.engine.kernel.row");
        assertThatCode(() -> Layers.assertLayered(classes, "dev.vireo.engine", List.of(List.of("dev.vireo.engine.kernel.row"))))
                .doesNotThrowAnyException();
    }
}
