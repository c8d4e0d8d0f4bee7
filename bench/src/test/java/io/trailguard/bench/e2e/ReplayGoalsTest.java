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

    /**
     * With {@code --launcher}, the same figures through an extracted distribution's {@code bin/trailguard}, whose
     * first replay makes the start-up archive in the run's own folder. Needs {@code job/target/trailguard-*.tar.gz}.
     */
    @Test
    void tinyRunThroughTheLauncher() throws Exception {
        Path tar = null;
        try (java.util.stream.Stream<Path> s = Files.list(Paths.get("..", "job", "target"))) {
            tar = s.filter(f -> f.getFileName().toString().matches("trailguard-.*\\.tar\\.gz")).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            Assumptions.abort("job/target is missing: skipping");
        }
        Assumptions.assumeTrue(tar != null, "the distribution is not built: skipping");
        Path where = Files.createTempDirectory("replay-goals-dist");
        try {
            Process untar = new ProcessBuilder("tar", "xzf", tar.toAbsolutePath().toString()).directory(where.toFile())
                    .inheritIO().start();
            assertThat(untar.waitFor()).isZero();
            Path launcher;
            try (java.util.stream.Stream<Path> s = Files.list(where)) {
                launcher = s.findFirst().orElseThrow().resolve("bin").resolve("trailguard");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ReplayGoals.run(new String[] {"--runs", "1", "--events", "100", "--launcher", launcher.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String o = out.toString(StandardCharsets.UTF_8);
            String e = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(o + e).isZero();
            assertThat(e).contains("through " + launcher.toAbsolutePath(), "first replay (makes the start-up archive): ");
            assertThat(o).contains("replay 100 events, wall s: ", "replay 1 event, wall s (goal < 1): ");
        } finally {
            new ProcessBuilder("rm", "-rf", where.toString()).start().waitFor();
        }
    }
}
