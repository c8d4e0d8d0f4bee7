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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code goals --quick}: two rounds at smoke sizes print one table with a row per goal, each with min / median / max
 * over the rounds, the number of rounds measured and a verdict (correctness, not speed). The replay rows need {@code job/target/trailguard.jar} ({@code mvn verify}
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
        int code = GoalsTable.run(new String[] {"--runs", "2", "--quick", "--jar", jar.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(o + err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> rows = new ArrayList<>();
        for (String line : o.split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| goal |")) {
                rows.add(line);
            }
        }
        assertThat(o).contains("| goal | target | measured (min / median / max) | rounds | met? |")
                .contains("2 rounds");
        assertThat(rows).as(o).hasSize(GOALS.length);
        for (int i = 0; i < GOALS.length; i++) {
            String[] cells = rows.get(i).split(" \\| ");
            assertThat(cells[0]).isEqualTo("| " + GOALS[i]);
            boolean replayRow = GOALS[i].contains("eplay");
            if (replayRow && !replayable) {
                assertThat(cells[2]).as(rows.get(i)).startsWith("not measured");
                assertThat(cells[3]).isEqualTo("0");
                continue;
            }
            Matcher m = Pattern.compile("([\\d.]+) / ([\\d.]+) / ([\\d.]+)( \\(.*\\))?").matcher(cells[2]);
            assertThat(m.matches()).as(rows.get(i)).isTrue();
            double min = Double.parseDouble(m.group(1));
            double median = Double.parseDouble(m.group(2));
            double max = Double.parseDouble(m.group(3));
            assertThat(min).as(rows.get(i)).isLessThanOrEqualTo(median);
            assertThat(median).as(rows.get(i)).isLessThanOrEqualTo(max);
            assertThat(cells[3]).as(rows.get(i)).isEqualTo("2");
            assertThat(cells[4]).as(rows.get(i)).isIn("**met** |", "**not met** |");
        }
    }

    @Test
    void theVerdictFollowsTheMedian() {
        GoalsTable.Goal g = new GoalsTable.Goal("g", GoalsTable.Bound.AT_LEAST, 1.0, "%.2f");
        g.add(0.5, "low");
        g.add(1.5, "high");
        g.add(1.1, "middle");
        assertThat(g.line()).isEqualTo("| g | >= 1.00 | 0.50 / 1.10 / 1.50 (middle) | 3 | **met** |");
        GoalsTable.Goal below = new GoalsTable.Goal("b", GoalsTable.Bound.BELOW, 50, "%.1f");
        below.add(null, "round failed");
        below.add(60.0, "");
        below.add(40.0, "");
        assertThat(below.line()).isEqualTo("| b | < 50.0 | 40.0 / 50.0 / 60.0 | 2 | **not met** |");
        GoalsTable.Goal none = new GoalsTable.Goal("n", GoalsTable.Bound.AT_MOST, 300, "%.0f");
        none.add(null, "jar not built");
        assertThat(none.line()).isEqualTo("| n | <= 300 | not measured (jar not built) | 0 | not measured |");
    }

    @Test
    void rejectsUnknownOptions() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(GoalsTable.run(new String[] {"--frobnicate"}, quiet, quiet)).isEqualTo(2);
        assertThat(GoalsTable.run(new String[] {"--runs", "0"}, quiet, quiet)).isEqualTo(2);
    }
}
