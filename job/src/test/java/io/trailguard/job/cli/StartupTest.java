package io.trailguard.job.cli;

import io.trailguard.job.kinesis.KinesisLocal;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run} at start-up, in-process with its real command line: against an unreachable Kinesis endpoint it logs
 * one clear WARN per check, with backoff, naming the endpoint and the error, and no stack trace; against reachable
 * streams it logs one {@code ready} line with the streams, shard counts, rules and outputs as soon as the job runs,
 * before any event was sent.
 */
class StartupTest {
    /** Every event logged (level, logger, message, has throwable). */
    static final class Capture extends AbstractAppender {
        final List<Object[]> events = new CopyOnWriteArrayList<>();

        Capture() {
            super("startup-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent e) {
            events.add(new Object[] {e.getLevel(), e.getLoggerName(), e.getMessage().getFormattedMessage(),
                    e.getThrown() != null, e.getTimeMillis()});
        }

        List<String> messages(Level atLeast, long before) {
            return events.stream().filter(o -> ((Level) o[0]).isMoreSpecificThan(atLeast) && (long) o[4] < before)
                    .map(o -> o[0] + " " + o[1] + ": " + o[2] + ((boolean) o[3] ? " [with stack trace]" : ""))
                    .collect(Collectors.toList());
        }
    }

    private Capture capture;

    @BeforeEach
    void capture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        capture = new Capture();
        capture.start();
        cfg.addAppender(capture);
        cfg.getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(capture.getName());
        ctx.updateLoggers();
        capture.stop();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs the command line in a thread; interrupts it after {@code millis}; returns the time of the interrupt. */
    static long runFor(long millis, String... args) throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Thread t = new Thread(() -> Main.run(args, sink, sink), "cli-under-test");
        t.start();
        t.join(millis);
        long stoppedAt = System.currentTimeMillis();
        t.interrupt();
        t.join(30_000);
        assertThat(t.isAlive()).as("run stops when interrupted").isFalse();
        return stoppedAt;
    }

    @Test
    void aZeroChunkTimeoutIsAUsageError() {
        CliTest.Result r = CliTest.run("run", "--events-stream", "events", "--aws-endpoint", "http://localhost:1",
                "--set", "bundles.chunk_timeout=0s");
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err).contains("run: bundles.chunk_timeout must be positive");
    }

    @Test
    void anUnreachableEndpointGivesOneClearWarningPerCheckWithBackoff() throws Exception {
        long stoppedAt = runFor(8_000, "run", "--events-stream", "events", "--aws-endpoint", "http://localhost:1",
                "--aws-region", "us-east-1", "--set", "local.web_ui_port=" + freePort());

        List<String> warnings = capture.messages(Level.WARN, stoppedAt);
        // checks at about 0, 1, 3 and 7 s after start-up (backoff 1, 2, 4 s): at most four warnings in 8 s (the
        // Connector's per-retry stack traces and job restarts gave ~100 lines in that time), nothing else at WARN
        assertThat(warnings).hasSizeBetween(2, 4).allSatisfy(w -> assertThat(w).matches(
                "WARN io\\.trailguard\\.job\\.cli\\.StartupReport: events stream 'events' at http://localhost:1 is "
                        + "unreachable: Connection refused; retrying in \\d+ s \\(check \\d+\\)"));
        assertThat(warnings.get(0)).endsWith("retrying in 1 s (check 1)");
        assertThat(warnings.get(1)).endsWith("retrying in 2 s (check 2)");
        assertThat(capture.messages(Level.INFO, stoppedAt)).as("the job is not submitted while the stream is "
                + "unreachable").noneMatch(m -> m.contains("starting trailguard"));
    }

    @Test
    void theReadyLineComesAtStartUpBeforeAnyEvent(@TempDir Path dir) throws Exception {
        try (KinesisLocal k = KinesisLocal.start("events:2,control:1", Arrays.asList("events", "control"))) {
            Path out = dir.resolve("alerts.jsonl");
            String line = readyLineOf(k, "control", out);
            assertThat(line).matches("ready: events stream 'events' \\(2 shards\\), control stream 'control' "
                    + "\\(1 shard\\); rules bundled \\([0-9a-f]{12}\\), \\d+ rules; outputs file:"
                    + Pattern.quote(out.toString()) + "; dead letters log");
            // no event was sent: the evaluators have reported nothing, the ready line did not wait for them
            assertThat(Files.exists(out) ? Files.readAllLines(out) : Arrays.<String>asList())
                    .noneMatch(l -> l.contains("\"status\":\"active\""));
        }
    }

    @Test
    void aMissingControlStreamIsReportedOnceAndDoesNotHoldTheJobBack(@TempDir Path dir) throws Exception {
        try (KinesisLocal k = KinesisLocal.start("events:1", Arrays.asList("events"))) {
            String line = readyLineOf(k, "nocontrol", dir.resolve("alerts.jsonl"));
            assertThat(line).startsWith("ready: events stream 'events' (1 shard), control stream 'nocontrol' "
                    + "(not answering yet); rules bundled (");
            assertThat(capture.messages(Level.WARN, Long.MAX_VALUE)).filteredOn(m -> m.contains("StartupReport"))
                    .singleElement().asString().contains("control stream 'nocontrol' at " + k.endpoint()
                            + " does not exist (", "; starting with the default rules: the control source waits");
        }
    }

    /** Runs {@code run} until its ready line has come (and 2 s more, for a second one), then stops it. */
    private String readyLineOf(KinesisLocal k, String control, Path out) throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String[] args = {"run", "--events-stream", "events", "--control-stream", control, "--aws-endpoint",
                k.endpoint(), "--output", "file:" + out, "--set", "local.web_ui_port=" + freePort(),
                "--set", "control.bootstrap_timeout=5s"};
        Thread t = new Thread(() -> Main.run(args, sink, sink), "cli-under-test");
        t.start();
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline && ready().isEmpty()) {
                Thread.sleep(200);
            }
            Thread.sleep(2_000);
            assertThat(ready()).as("one ready line").hasSize(1);
            return ready().get(0);
        } finally {
            t.interrupt();
            t.join(30_000);
            assertThat(t.isAlive()).as("run stops when interrupted").isFalse();
        }
    }

    private List<String> ready() {
        return capture.events.stream().map(o -> (String) o[2]).filter(m -> m.startsWith("ready: "))
                .collect(Collectors.toList());
    }
}
