package io.trailguard.job.kinesis;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.trailguard.job.kinesis.KinesisJobHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Trailguard command in a JVM of its own, for the tests that kill it ({@code kill -9}) and start the same command
 * again: the command line, the signals, and waiting on what the run leaves in its files.
 */
final class SeparateJvm {
    private SeparateJvm() {
    }

    /**
     * {@code java} with this test JVM's opens and exports, the job's own logging configuration (as in the jar; the
     * test class path also carries the tests' one) and class path, then {@code Main} with {@code args}.
     */
    static List<String> command(List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        c.add("-Xmx600m");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) {
                c.add(a);
            }
        }
        c.add("-Dlog4j2.configurationFile=" + Paths.get("target", "classes", "log4j2.properties").toAbsolutePath());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add("io.trailguard.job.cli.Main");
        c.addAll(args);
        return c;
    }

    /** Starts {@code command} with stdout and stderr in {@code log}. */
    static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Sends {@code kill -SIG pid}: STOP freezes every thread of the process at once, CONT resumes it. */
    static void signal(Process p, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0).as("kill -" + sig).isTrue();
    }

    /** SIGKILL: the run gets no chance to stop cleanly. */
    static void kill(Process p) throws InterruptedException {
        assertThat(p.isAlive()).as("the run is still up when it is killed").isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Waits up to {@code limit} for {@code condition}, failing at once when the process died. */
    static void awaitUntil(String what, Duration limit, Process p, Supplier<Boolean> condition) throws Exception {
        await(what, limit, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("the run exited (" + p.exitValue() + ") while waiting for: " + what);
            }
            return condition.get();
        });
    }

    /** The job directory the run's job creates in {@code checkpoints}: a job id not among {@code known}. */
    static Path awaitNewJobDir(Path checkpoints, Set<Path> known, Duration limit, Process p) throws Exception {
        Path[] found = new Path[1];
        awaitUntil("a new job directory in " + checkpoints, limit, p, () -> {
            for (Path d : list(checkpoints)) {
                if (d.getFileName().toString().matches("[0-9a-f]{32}") && !known.contains(d)) {
                    found[0] = d;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Copies the runs' logs ({@code *.log} in {@code dir}) to {@code target/NAME}: the temporary directory goes away. */
    static void keepLogs(Path dir, String name) throws IOException {
        Path keep = Paths.get("target", name);
        Files.createDirectories(keep);
        for (Path f : list(dir)) {
            if (f.getFileName().toString().endsWith(".log")) {
                Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The entries of {@code dir}, or none while it does not exist. */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            return Collections.emptyList();
        }
    }

    /** The text of {@code file}, or "" while it does not exist. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
