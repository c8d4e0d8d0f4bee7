package io.trailguard.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code goals --quick}: one run at smoke sizes prints one table with a row per goal, each with a number and a
 * verdict (correctness, not speed). The replay rows need {@code job/target/trailguard.jar} ({@code mvn verify}
 * builds it before this module's tests); without it they must say "not measured".
 */
class GoalsTableTest {
    static final String[] GOALS = {
        "Engine (bundled + SigmaHQ, one thread) / warm `readTree`",
        "10,000 realistic rules / 10 rules",
        "Replay of 100 records incl. start-up / warm `readTree`",
        "Replay of 100 events, wall s",
        "One-event replay, wall s",
        "Streaming p99 at 5,000 events/s, default 10 ms buffer timeout, ms",
        "Peak throughput at 10 ms / at 100 ms buffer timeout",
        "Streaming job (parallelism = cores) / engine on one thread, steady state",
        "Rate state per key on heap (HashMapStateBackend), B",
        "Rate state per key serialized (snapshot), B",
        "Rate state per key on heap after a restore, B",
    };

    @Test
    void quickRunPrintsEveryGoalWithANumber() throws Exception {
        Path jar = Paths.get("..", "job", "target", "trailguard.jar");
        boolean replayable = Files.isRegularFile(jar);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GoalsTable.run(new String[] {"--quick", "--jar", jar.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(o + err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> rows = new ArrayList<>();
        for (String line : o.split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| goal |")) {
                rows.add(line);
            }
        }
        assertThat(o).contains("| goal | target | measured | met? |");
        assertThat(rows).as(o).hasSize(GOALS.length);
        for (int i = 0; i < GOALS.length; i++) {
            String[] cells = rows.get(i).split(" \\| ");
            assertThat(cells[0]).isEqualTo("| " + GOALS[i]);
            boolean replayRow = GOALS[i].contains("eplay");
            if (replayRow && !replayable) {
                assertThat(cells[2]).as(rows.get(i)).startsWith("not measured");
                continue;
            }
            assertThat(cells[2]).as(rows.get(i)).matches("\\d[\\d.]* .*|\\d[\\d.]*");
            assertThat(cells[3]).as(rows.get(i)).isIn("**met** |", "**not met** |");
        }
    }

    @Test
    void rejectsUnknownOptions() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(GoalsTable.run(new String[] {"--frobnicate"}, quiet, quiet)).isEqualTo(2);
    }
}
