package io.trailguard.bench.e2e;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-to-end bench: a tiny smoke run prints every figure with plausible values (correctness, not speed). */
class EndToEndBenchTest {
    @Test
    void smokeRunPrintsTheFigures() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EndToEndBench.run(new String[] {"--events", "2000", "--buffer-timeout", "5", "--parallelism", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(o + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(o).contains("events: 2000").contains("buffer timeout: 5 ms").contains("parallelism: 1");
        assertThat(number(o, "alerts: (\\d+)")).isPositive();
        assertThat(number(o, "job events/s: ([\\d.]+)")).isPositive();
        assertThat(number(o, "engine events/s: ([\\d.]+)")).isPositive();
        assertThat(number(o, "ratio job/engine: ([\\d.]+)")).isPositive();
        assertThat(number(o, "second half: job events/s ([\\d.]+)")).isPositive();
        assertThat(number(o, "latency p50 ms: ([\\d.]+)")).isPositive();
        assertThat(number(o, "latency p99 ms: ([\\d.]+)")).isPositive();
        // the job and the engine agree on the single-event alerts (each event is unique, so dedup drops nothing)
        Matcher m = Pattern.compile("single-event (\\d+), rate \\d+\\); engine alone: (\\d+) alerts").matcher(o);
        assertThat(m.find()).as(o).isTrue();
        assertThat(m.group(1)).as(o).isEqualTo(m.group(2));
    }

    @Test
    void rejectsABadEventCount() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(EndToEndBench.run(new String[] {"--events", "zero"}, quiet, quiet)).isEqualTo(2);
        assertThat(EndToEndBench.run(new String[] {"--frobnicate"}, quiet, quiet)).isEqualTo(2);
        assertThat(EndToEndBench.run(new String[] {"--parallelism", "0"}, quiet, quiet)).isEqualTo(2);
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as(regex + " in\n" + out).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
