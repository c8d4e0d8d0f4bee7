package io.trailguard.bench.e2e;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The latency sweep: a tiny run prints one row per buffer timeout with plausible values (correctness, not speed). */
class LatencySweepTest {
    @Test
    void smokeRunPrintsARowPerTimeout() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LatencySweep.run(new String[] {"--rate", "2000", "--events", "600", "--peak-events", "1000",
                "--timeouts", "10,0"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(o + err.toString(StandardCharsets.UTF_8)).isZero();
        for (String timeout : new String[] {"10", "0"}) {
            Matcher m = Pattern.compile("\\| " + timeout + " \\| ([\\d.]+) \\| ([\\d.]+) \\| [\\d.]+ \\| (\\d+) \\| "
                    + "(\\d+) \\| ([\\d.]+) \\|").matcher(o);
            assertThat(m.find()).as(o).isTrue();
            assertThat(Double.parseDouble(m.group(2))).as("p99 >= p50").isGreaterThanOrEqualTo(
                    Double.parseDouble(m.group(1)));
            assertThat(Integer.parseInt(m.group(3))).as("alerts timed").isPositive();
            assertThat(Long.parseLong(m.group(4))).as("peak events/s").isPositive();
        }
        assertThat(o).contains("| 10 |").contains("| 1.00 |");
    }

    @Test
    void rejectsBadTimeouts() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(LatencySweep.run(new String[] {"--timeouts", "10,x"}, quiet, quiet)).isEqualTo(2);
        assertThat(LatencySweep.run(new String[] {"--frobnicate"}, quiet, quiet)).isEqualTo(2);
    }
}
