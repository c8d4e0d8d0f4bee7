package io.trailguard.job.architecture;

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
 * The packages of the Flink job point one way, bottom to top as listed in {@link #LAYERS}: a class may use its own
 * package and the packages below it, never one above. The production classes are checked; tests may use every layer.
 */
class LayersTest {
    private static final String ROOT = "io.trailguard.job";

    /**
     * Bottom first. {@code files} (the one writer of local line files), {@code metrics} (metric names and
     * counters), {@code config} (the configuration and its keys) and
     * {@code serde} (the records that travel between operators, their serializers and type infos, the alert codec,
     * the job's JSON) need nothing of the job; {@code bundle} is the rule-bundle domain (signatures, chunks, control
     * messages) without Flink; {@code aws} makes the AWS clients; {@code operators} holds every Flink function and
     * operator of the graph; the edges ({@code kinesis}, {@code replay}, {@code recovery}, {@code sink.aws}) are
     * what the graph reads from and writes to; {@code pipeline} wires the graph; {@code output} chooses where its
     * streams go; {@code cli} (with {@code Main}) is the entry point.
     */
    static final List<String> LAYERS = Arrays.asList(
            "files", "metrics", "config", "serde", "bundle", "aws", "operators", "kinesis", "s3", "replay", "recovery",
            "sink.aws", "pipeline", "output", "cli");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
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
    void bundleDomainDoesNotUseFlink() {
        noClasses().that().resideInAPackage(ROOT + ".bundle..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.flink..")
                .because("bundles are read, signed and verified by the CLI too; their operator lives in operators")
                .check(classes);
    }

    /**
     * The Kinesis connector ({@code FlinkKinesisConsumer}, a legacy {@code SourceFunction}) is used behind the
     * {@code kinesis} package's seam only ({@code KinesisSources} hands out data streams of raw records), so that
     * swapping it for the connector line that runs on Flink 2.x changes that one package.
     */
    @Test
    void kinesisConnectorStaysBehindTheKinesisSeam() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".kinesis..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.flink.streaming.connectors.kinesis..")
                .check(classes);
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
