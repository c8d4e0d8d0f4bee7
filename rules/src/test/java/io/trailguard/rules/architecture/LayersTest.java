package io.trailguard.rules.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages of the rule engine point one way, bottom to top as listed in {@link #LAYERS}: a class may use its
 * own package and the packages below it, never one above. The production classes are checked; test helpers
 * (such as {@code testing}) may use every layer.
 */
class LayersTest {
    private static final String ROOT = "io.trailguard.rules";

    /**
     * Bottom first. {@code text}, {@code source} and {@code event} need nothing of the project; {@code field}
     * holds the evaluation kernel and every field kind; the dialects ({@code sigma}, then the Falco
     * {@code loader} that dispatches to it) compile onto the engine; {@code fixtures} runs whole rule files.
     */
    static final List<String> LAYERS = Arrays.asList(
            "text", "source", "event", "field", "condition", "aggregate", "output", "engine", "incident", "sigma",
            "loader",
            "fixtures");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void packagesOnlyPointDown() {
        layers().check(classes);
    }

    @Test
    void everyPackageHasALayer() {
        noClasses().should().resideOutsideOfPackages(packagesOf(LAYERS))
                .because("a new package must take its place in LayersTest.LAYERS").check(classes);
    }

    @Test
    void rulesDoNotUseFlink() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.flink..")
                .because("the rule engine runs without Flink (in the CLI, the bench and the tests)").check(classes);
    }

    /** Each layer may be used by the layers above it only. */
    static LayeredArchitecture layers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            arch = arch.layer(layer).definedBy(ROOT + "." + layer + "..");
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = LAYERS.subList(i + 1, LAYERS.size());
            arch = above.isEmpty()
                    ? arch.whereLayer(LAYERS.get(i)).mayNotBeAccessedByAnyLayer()
                    : arch.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above.toArray(new String[0]));
        }
        return arch;
    }

    private static String[] packagesOf(List<String> layers) {
        return layers.stream().map(l -> ROOT + "." + l + "..").toArray(String[]::new);
    }
}
