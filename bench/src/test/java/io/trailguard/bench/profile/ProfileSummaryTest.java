package io.trailguard.bench.profile;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real recording of this JVM: a thread of a known name spins in a known method while JFR samples it; the summary
 * must find that method in that thread's samples, and no samples under another thread's name.
 */
class ProfileSummaryTest {
    static volatile long sink;

    @Test
    void findsTheMethodThatBurnedTheCpu(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spin.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            Thread t = new Thread(ProfileSummaryTest::spinFor800Ms, "profile-test-spinner");
            t.start();
            t.join();
            r.stop();
            r.dump(file);
        }
        String o = run(file.toString(), "--thread", "profile-test-spinner", "--frame", "spinFor800Ms", "NoSuchMethod");
        Matcher samples = Pattern.compile("(\\d+) execution samples of threads named \\*profile-test-spinner\\*")
                .matcher(o);
        assertThat(samples.find()).as(o).isTrue();
        assertThat(Integer.parseInt(samples.group(1))).as(o).isPositive();
        Matcher spin = Pattern.compile("\\| spinFor800Ms \\| ([\\d.]+) %").matcher(o);
        assertThat(spin.find()).as(o).isTrue();
        assertThat(Double.parseDouble(spin.group(1))).as(o).isGreaterThan(50.0);
        assertThat(o).contains("| NoSuchMethod | 0.0 % |").contains("ProfileSummaryTest.")
                .contains("| profile-test-spinner | 100.0 % |");
        assertThat(run(file.toString(), "--thread", "no-thread-has-this-name")).contains(": 0 execution samples");
    }

    @Test
    void refusesWhatIsNotARecording(@TempDir Path dir) throws Exception {
        Path notJfr = Files.writeString(dir.resolve("x.jfr"), "not a recording");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(ProfileSummary.run(new String[] {notJfr.toString()}, quiet, quiet)).isEqualTo(2);
        assertThat(ProfileSummary.run(new String[] {dir.resolve("absent.jfr").toString()}, quiet, quiet)).isEqualTo(2);
        assertThat(ProfileSummary.run(new String[] {}, quiet, quiet)).isEqualTo(2);
        assertThat(ProfileSummary.run(new String[] {"a.jfr", "--frame", "("}, quiet, quiet)).isEqualTo(2);
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ProfileSummary.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(o + err.toString(StandardCharsets.UTF_8)).isZero();
        return o;
    }

    private static void spinFor800Ms() {
        long end = System.nanoTime() + 800_000_000L;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }
}
