package io.trailguard.bench.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay-goals}: a tiny run (100 events, one run) against the built job jar prints every figure
 * (correctness, not speed). Needs {@code job/target/trailguard.jar}, which {@code mvn verify} builds before this
 * module's tests; skipped without it.
 */
class ReplayGoalsTest {
    @Test
    void tinyRunPrintsEveryGoal() throws Exception {
        Path jar = Paths.get("..", "job", "target", "trailguard.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "job/target/trailguard.jar is not built: skipping");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReplayGoals.run(new String[] {"--runs", "1", "--events", "100", "--jar", jar.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(o + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(o).contains("readTree (one thread, warm) events/s: ", "replay 100 events, wall s: ",
                "replay 100 events / readTree", "replay 1 event, wall s (goal < 1): ");
    }
}
