package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.fixtures.FixtureReport;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bundled fixture passes, and every shipped rule has a positive and a negative case. */
class BundledFixturesTest {

    @Test
    void everyBundledFixturePasses() {
        List<FixtureResult> results = Packs.fixtureResults();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = FixtureReport.print(results, new PrintStream(out, true, StandardCharsets.UTF_8), false);
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(results.size()).isGreaterThan(2 * Packs.rules().size());
    }

    @Test
    void everyEnabledRuleHasAPositiveAndANegativeCase() {
        assertThat(FixtureRunner.untested(Packs.rules(), Packs.fixtureResults())).isEmpty();
    }

    @Test
    void everyCaseNamesAShippedRule() {
        Set<String> names = Packs.rules().rules().stream().map(Rule::name).collect(Collectors.toSet());
        assertThat(Packs.fixtureResults()).allSatisfy(r -> assertThat(names).contains(r.rule()));
    }

    @Test
    void theFixtureIndexListsEveryFixtureFile() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(Packs.FIXTURES)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>(Packs.fixtureFiles())).isEqualTo(onDisk);
        Set<String> discovered = FixtureRunner.discover(List.of(Packs.FIXTURES)).stream()
                .map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(discovered).isEqualTo(onDisk);
    }

    @Test
    void thePackIndexListsEveryPackFileWithCommonFirst() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(Packs.PACKS)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>(Packs.packFiles())).isEqualTo(onDisk);
        assertThat(Packs.packFiles().get(0)).isEqualTo("common.yaml");
    }

    @Test
    void bundledFixturesOnTheClasspathPassToo() {
        // present once rules/pom.xml maps fixtures/ to io/trailguard/fixtures (see rules/FIXTURES.md)
        Assumptions.assumeTrue(FixtureRunner.hasBundledFixtures(), "fixtures are not on the classpath yet");
        List<FixtureResult> results = FixtureRunner.runBundled();
        assertThat(results).hasSameSizeAs(Packs.fixtureResults());
        assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
    }
}
