package dev.vireo.langchain4j;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** LangChain4j stays in this module: no class of the engine or the library depends on it. */
class LangChain4jLayeringTest {
    @Test
    void theLibraryDoesNotDependOnLangChain4j() {
        JavaClasses vireo = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vireo.engine", "dev.vireo.models");
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.langchain4j..")
                .because("the library embeds without LangChain4j; only vireo-langchain4j adapts to it")
                .check(vireo);
    }
}
