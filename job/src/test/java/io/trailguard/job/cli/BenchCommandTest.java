package io.trailguard.job.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code trailguard bench}: a tiny smoke run prints every figure with plausible values (correctness, not speed). */
class BenchCommandTest {
    @Test
    void smokeRunPrintsTheFigures() {
        CliTest.Result r = CliTest.run("bench", "--events", "2000");
        assertThat(r.code).as(r.out + r.err).isZero();
        assertThat(r.out).contains("events: 2000");
        assertThat(number(r.out, "alerts: (\\d+)")).isPositive();
        assertThat(number(r.out, "job events/s: ([\\d.]+)")).isPositive();
        assertThat(number(r.out, "engine events/s: ([\\d.]+)")).isPositive();
        assertThat(number(r.out, "ratio job/engine: ([\\d.]+)")).isPositive();
        assertThat(number(r.out, "second half: job events/s ([\\d.]+)")).isPositive();
        assertThat(number(r.out, "second half: .* ratio ([\\d.]+)")).isPositive();
        assertThat(number(r.out, "latency p50 ms: ([\\d.]+)")).isPositive();
        assertThat(number(r.out, "latency p99 ms: ([\\d.]+)")).isPositive();
        // the job and the engine agree on the single-event alerts (each event is unique, so dedup drops nothing)
        Matcher m = Pattern.compile("single-event (\\d+), rate \\d+\\); engine alone: (\\d+) alerts").matcher(r.out);
        assertThat(m.find()).as(r.out).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
    }

    @Test
    void rejectsABadEventCount() {
        assertThat(CliTest.run("bench", "--events", "zero").code).isEqualTo(2);
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as(regex + " in\n" + out).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
