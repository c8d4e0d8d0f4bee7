package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Replaying each Stratus Red Team detonation log raises an alert of a rule tagged with that technique. */
class StratusReplayTest {

    @TestFactory
    List<DynamicTest> everyDetonationLogAlertsOnItsTechnique() throws IOException {
        Path dir = Shared.require("corpora/stratus-red-team/detonation-logs");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertThat(files).hasSize(35);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String technique = f.getFileName().toString().replace(".json", "");
            tests.add(DynamicTest.dynamicTest(technique, () -> {
                List<Alert> alerts = CorpusReplay.delivered(Packs.rules(), CorpusReplay.read(List.of(f)));
                assertThat(alerts).as("alerts of %s", technique)
                        .anySatisfy(a -> assertThat(a.rule().tags()).contains("stratus:" + technique));
            }));
        }
        return tests;
    }

    @Test
    void theCopiedLogsAreTheCorpusLogs() throws IOException {
        Path dir = Shared.require("corpora/stratus-red-team/detonation-logs");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.collect(Collectors.toList())) {
                assertThat(Packs.FIXTURES.resolve("data/stratus").resolve(f.getFileName())).hasSameBinaryContentAs(f);
            }
        }
    }

    @Test
    void everyStratusTechniqueHasARule() {
        Set<String> tagged = new TreeSet<>();
        for (Rule r : Packs.rules().rules()) {
            tagged.addAll(Packs.stratusTags(r.tags()));
        }
        assertThat(Packs.STRATUS_TECHNIQUES).hasSize(44);
        assertThat(tagged).containsExactlyInAnyOrderElementsOf(Packs.STRATUS_TECHNIQUES);
    }
}
