package dev.vireo.engine.testing;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The layering check of every module: its packages in order, lowest first, each layer one or more
 * packages. A class may depend on its own layer and the layers below it, never above; every package
 * of the module must be placed in a layer, so a new package cannot slip in unchecked. Packages of a
 * layer with several may depend on each other (the one such layer is tensor with autograd); a cycle
 * between layers is impossible by construction. Classes are read from the compiled main code
 * (ArchUnit's importer), tests excluded.
 */
public final class Layers {
    private Layers() {}

    /** The module's main classes under {@code rootPackage}. */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(rootPackage);
    }

    /**
     * Fails with every offending dependency listed unless each class of {@code classes} depends only on
     * packages of its own layer or a lower one, among the packages that start with {@code project}.
     *
     * @param layers package names in order, lowest first; each entry a layer of one or more packages
     */
    public static void assertLayered(JavaClasses classes, String project, List<List<String>> layers) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> unplaced = new TreeSet<>();
        for (JavaClass c : classes) {
            int from = layerOf(layers, c.getPackageName());
            if (from < 0) {
                unplaced.add(c.getPackageName());
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getPackageName();
                if (!target.startsWith(project)) continue;
                int to = layerOf(layers, target);
                if (to > from) problems.add(d.getDescription());
                else if (to < 0) unplaced.add(target);
            }
        }
        if (!unplaced.isEmpty()) problems.addFirst("packages in no layer (place them in the layering test): " + unplaced);
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " dependencies go up the layers " + layers + ":\n  "
                    + String.join("\n  ", new TreeSet<>(problems)));
        }
    }

    private static int layerOf(List<List<String>> layers, String pkg) {
        for (int i = 0; i < layers.size(); i++) if (layers.get(i).contains(pkg)) return i;
        return -1;
    }
}
