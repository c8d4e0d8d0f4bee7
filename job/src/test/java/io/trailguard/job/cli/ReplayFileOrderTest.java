package io.trailguard.job.cli;

import io.trailguard.job.replay.ReplayOrder;
import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay's {@code file:} output holds what its stdout prints, in replay order (event time, rule, event id; an
 * incident once, in its last version), so two replays of the invictus-ir hour (MiniCluster jobs, parallel stages)
 * write byte-identical files.
 */
class ReplayFileOrderTest {
    static final String INVICTUS = "../rules/fixtures/data/invictus";

    @Test
    void twoReplaysWriteByteIdenticalFilesInReplayOrder(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.jsonl");
        Path second = dir.resolve("second.jsonl");
        CliTest.Result a = CliTest.run("replay", "--input", INVICTUS, "--output", "file:" + first, "--output", "stdout",
                "--set", "parallelism=2");
        assertThat(a.code).as(a.err).isZero();
        CliTest.Result b = CliTest.run("replay", "--input", INVICTUS, "--output", "file:" + second,
                "--set", "parallelism=2");
        assertThat(b.code).as(b.err).isZero();

        byte[] bytes = Files.readAllBytes(first);
        assertThat(bytes.length).isPositive();
        assertThat(Files.readAllBytes(second)).isEqualTo(bytes);
        List<String> lines = Files.readAllLines(first);
        assertThat(lines).isEqualTo(a.outLines());

        List<Alert> alerts = lines.stream().map(Alert::fromJson).collect(Collectors.toList());
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(ReplayOrder.ALERTS);
        assertThat(alerts).isEqualTo(sorted);
        assertThat(alerts.stream().filter(x -> x.incident() != null).count()).as("the incident, once").isEqualTo(1);
        assertThat(lines).noneMatch(l -> l.contains("\"type\":\"rule_status\""));
    }
}
