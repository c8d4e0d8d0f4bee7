package io.trailguard.job;

import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built artefacts, as a user runs them: {@code java -jar job/target/trailguard.jar}, and the distribution archive
 * extracted into a directory outside the build tree and run through {@code bin/trailguard}.
 */
class JarIT {
    @Test
    void noArgumentRunPrintsOnlyAlertLinesOnStdout() throws Exception {
        Path jar = Paths.get("target", "trailguard.jar");
        assertThat(jar).as("built by mvn package").exists();
        Path out = Files.createTempFile("trailguard-out", ".txt");
        Path err = Files.createTempFile("trailguard-err", ".txt");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished within 2 minutes").isTrue();
        String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(Alert.fromJson(l).rule().name()).isNotBlank());
        assertThat(stderr).contains("replay: 2 files, 16 events read, 0 dead-lettered, 1 duplicates dropped, "
                + lines.size() + " alerts");
    }

    /**
     * {@code run} against an unreachable Kinesis endpoint, as a process with the jar's own logging configuration, for
     * 12 s: only the start-up check's WARN lines (one per check, backoff 1, 2, 4, 8 s), each naming the endpoint and
     * the error, and no stack trace (before: about 150 lines in 12 s from the connector and the restart loop).
     */
    @Test
    void runAgainstAnUnreachableEndpointLogsOneClearLinePerCheck() throws Exception {
        Path jar = Paths.get("target", "trailguard.jar");
        assertThat(jar).as("built by mvn package").exists();
        Path err = Files.createTempFile("trailguard-err", ".txt");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "run", "--events-stream", "events",
                "--endpoint-url", "http://localhost:1", "--region", "us-east-1",
                "--set", "local.web_ui_port=" + port)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(12, TimeUnit.SECONDS)).as("still waiting for the endpoint").isFalse();
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertThat(lines).hasSizeBetween(2, 5).allSatisfy(l -> assertThat(l).matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  StartupReport - events stream 'events' at http://localhost:1 "
                        + "is unreachable: Connection refused; retrying in \\d+ s \\(check \\d+\\)"));
    }

    /**
     * {@code tar xf trailguard-VERSION.tar.gz} into a temporary directory outside the build tree, then
     * {@code bin/trailguard --version}, the demo, and a replay of a folder of logs there, with the working directory
     * in that folder. The zip holds the same entries.
     */
    @Test
    void theExtractedDistributionRunsAnywhere() throws Exception {
        String version = VersionInfoAccess.version();
        Path tar = Paths.get("target", "trailguard-" + version + ".tar.gz").toAbsolutePath();
        Path zip = Paths.get("target", "trailguard-" + version + ".zip").toAbsolutePath();
        assertThat(tar).as("built by mvn package").exists();
        assertThat(zip).as("built by mvn package").exists();
        Path where = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")), "trailguard-dist");
        assertThat(where.toAbsolutePath().startsWith(Paths.get("").toAbsolutePath().getParent())).isFalse();
        try {
            assertThat(exec(where, 120, "tar", "xzf", tar.toString()).code).isZero();
            Path home = where.resolve("trailguard-" + version);
            Path launcher = home.resolve("bin").resolve("trailguard");
            assertThat(Files.isExecutable(launcher)).isTrue();
            assertThat(home.resolve("packs").resolve("index.txt")).exists();
            assertThat(home.resolve("licenses")).isDirectory();
            assertThat(home.resolve("docs").resolve("README.md")).exists();
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
                assertThat(z.getEntry("trailguard-" + version + "/bin/trailguard")).isNotNull();
                assertThat(z.getEntry("trailguard-" + version + "/lib/trailguard.jar")).isNotNull();
            }

            Run v = exec(where, 60, launcher.toString(), "--version");
            assertThat(v.code).as(v.err).isZero();
            assertThat(v.out).startsWith("trailguard " + version).contains("flink: 1.20.", "bundled packs: ");

            // The launcher's Java check: a Java older than 11 is refused by name, before anything starts.
            Path oldJava = Files.createDirectories(where.resolve("old-jdk").resolve("bin")).resolve("java");
            Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"1.8.0_392\"' >&2\n");
            assertThat(oldJava.toFile().setExecutable(true)).isTrue();
            Run refused = execWith(where.resolve("old-jdk").toString(), where, 60, launcher.toString(), "--version");
            assertThat(refused.code).isEqualTo(2);
            assertThat(refused.err).contains("Java 11 or newer is needed", "version 1.8.0_392");
            // Every other JDK this machine has (a newer one than the build's, where present) runs it too.
            for (Path jdk : otherJdks()) {
                Run other = execWith(jdk.toString(), where, 60, launcher.toString(), "--version");
                assertThat(other.code).as(jdk + ": " + other.err).isZero();
                assertThat(other.out).as(jdk.toString()).startsWith("trailguard " + version);
            }

            Run demo = exec(where, 180, launcher.toString());
            assertThat(demo.code).as(demo.err).isZero();
            assertThat(demo.out.split("\n")).allSatisfy(l -> assertThat(Alert.fromJson(l).rule().name()).isNotBlank());
            assertThat(demo.err).contains("replay: 2 files, 16 events read, 0 dead-lettered");

            Path logs = Files.createDirectories(where.resolve("work").resolve("logs"));
            Files.copy(home.resolve("samples").resolve("cloudtrail-log-file.json"), logs.resolve("a.json"));
            Run replay = exec(logs.getParent(), 180, launcher.toString(), "replay", "--input", "logs/");
            assertThat(replay.code).as(replay.err).isZero();
            assertThat(replay.err).containsPattern("replay: 1 files, \\d+ events read, 0 dead-lettered");
            assertThat(replay.out).isNotEmpty();
            assertThat(replay.out.split("\n")).allSatisfy(l -> assertThat(Alert.fromJson(l).rule().name()).isNotBlank());
        } finally {
            exec(Paths.get(System.getProperty("java.io.tmpdir")), 60, "rm", "-rf", where.toString());
        }
    }

    /**
     * The launcher's start-up archive: the first replay makes one class-data-sharing archive in {@code
     * TRAILGUARD_CACHE}; the next replay maps it ({@code -Xshare:on} makes the JVM fail if it cannot) and prints the
     * same alerts; a damaged archive costs nothing but its use (alerts unchanged, stdout still only alerts); with
     * {@code TRAILGUARD_CDS=off} no archive is made; the long-running {@code run} makes none either.
     */
    @Test
    void theLauncherKeepsAStartUpArchiveThatNeverChangesTheOutput() throws Exception {
        try (Unpacked dist = Unpacked.tarball("trailguard-cds")) {
            String jdk = System.getProperty("java.home");
            Path cache = dist.where.resolve("cache");
            java.util.Map<String, String> env = java.util.Map.of("TRAILGUARD_CACHE", cache.toString());

            Run first = execWith(jdk, env, dist.where, 180, dist.launcher, "replay", "--input", dist.samples);
            assertThat(first.code).as(first.err).isZero();
            assertThat(first.out).isNotEmpty();
            List<Path> archives = list(cache);
            assertThat(archives).hasSize(1);
            assertThat(archives.get(0).getFileName().toString()).matches("classes-java\\d+-\\d+\\.jsa");

            Run mapped = execWith(jdk, java.util.Map.of("TRAILGUARD_CACHE", cache.toString(), "JAVA_OPTS", "-Xshare:on"),
                    dist.where, 180, dist.launcher, "replay", "--input", dist.samples);
            assertThat(mapped.code).as(mapped.err).isZero();
            assertThat(mapped.out).isEqualTo(first.out);

            assertThat(archives.get(0).toFile().setWritable(true)).isTrue();
            Files.write(archives.get(0), new byte[4096]);
            Run damaged = execWith(jdk, env, dist.where, 180, dist.launcher, "replay", "--input", dist.samples);
            assertThat(damaged.code).as(damaged.err).isZero();
            assertThat(damaged.out).isEqualTo(first.out);

            Path off = dist.where.resolve("off");
            Run without = execWith(jdk, java.util.Map.of("TRAILGUARD_CACHE", off.toString(), "TRAILGUARD_CDS", "off"),
                    dist.where, 180, dist.launcher, "replay", "--input", dist.samples);
            assertThat(without.code).as(without.err).isZero();
            assertThat(without.out).isEqualTo(first.out);
            assertThat(off).doesNotExist();

            Path none = dist.where.resolve("none");
            Run help = execWith(jdk, java.util.Map.of("TRAILGUARD_CACHE", none.toString()), dist.where, 60,
                    dist.launcher, "run", "--help");
            assertThat(help.code).as(help.err).isZero();
            assertThat(none).doesNotExist();
        }
    }

    /**
     * The launcher's collector for bounded runs: a replay runs with the parallel collector, a collector named in
     * {@code JAVA_OPTS} or {@code TRAILGUARD_OPTS} replaces it (two would be refused), and the alerts are the same
     * with each; {@code run} keeps the JVM's default.
     */
    @Test
    void theLaunchersCollectorNeverChangesTheOutput() throws Exception {
        try (Unpacked dist = Unpacked.tarball("trailguard-gc")) {
            String jdk = System.getProperty("java.home");

            Run parallel = execWith(jdk, java.util.Map.of("JAVA_OPTS", "-Xlog:gc=info:stderr"), dist.where, 180,
                    dist.launcher, "replay", "--input", dist.samples);
            assertThat(parallel.code).as(parallel.err).isZero();
            assertThat(parallel.err).contains("Using Parallel");
            assertThat(parallel.out).isNotEmpty();

            Run g1 = execWith(jdk, java.util.Map.of("JAVA_OPTS", "-XX:+UseG1GC -Xlog:gc=info:stderr"), dist.where, 180,
                    dist.launcher, "replay", "--input", dist.samples);
            assertThat(g1.code).as(g1.err).isZero();
            assertThat(g1.err).contains("Using G1");
            assertThat(g1.out).isEqualTo(parallel.out);

            Run serial = execWith(jdk, java.util.Map.of("TRAILGUARD_OPTS", "-Xmx768m -XX:+UseSerialGC",
                    "JAVA_OPTS", "-Xlog:gc=info:stderr"), dist.where, 180, dist.launcher, "replay", "--input",
                    dist.samples);
            assertThat(serial.code).as(serial.err).isZero();
            assertThat(serial.err).contains("Using Serial");
            assertThat(serial.out).isEqualTo(parallel.out);

            Run run = execWith(jdk, java.util.Map.of("JAVA_OPTS", "-Xlog:gc=info:stderr"), dist.where, 60,
                    dist.launcher, "run", "--help");
            assertThat(run.code).as(run.err).isZero();
            assertThat(run.err).doesNotContain("Using Parallel");
        }
    }

    /** The distribution archive extracted into a new folder of the temporary directory; closing removes it. */
    static final class Unpacked implements AutoCloseable {
        final Path where;
        final String launcher;
        final String samples;

        private Unpacked(Path where, Path home) {
            this.where = where;
            this.launcher = home.resolve("bin").resolve("trailguard").toString();
            this.samples = home.resolve("samples").toString();
        }

        static Unpacked tarball(String prefix) throws Exception {
            String version = VersionInfoAccess.version();
            Path tar = Paths.get("target", "trailguard-" + version + ".tar.gz").toAbsolutePath();
            Path where = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")), prefix);
            Unpacked dist = new Unpacked(where, where.resolve("trailguard-" + version));
            Run untar = exec(where, 120, "tar", "xzf", tar.toString());
            if (untar.code != 0) {
                dist.close();
                throw new IllegalStateException("tar xzf " + tar + ": " + untar.err);
            }
            return dist;
        }

        @Override
        public void close() throws Exception {
            exec(Paths.get(System.getProperty("java.io.tmpdir")), 60, "rm", "-rf", where.toString());
        }
    }

    private static List<Path> list(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    /** The version of the build, from the resource the build writes. */
    static final class VersionInfoAccess {
        static String version() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = JarIT.class.getClassLoader()
                    .getResourceAsStream("io/trailguard/job/version.properties")) {
                p.load(in);
            }
            return p.getProperty("version");
        }
    }

    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    /** The JDKs under the usual system folder other than the one running the tests. */
    static List<Path> otherJdks() throws java.io.IOException {
        Path jvms = Paths.get("/usr/lib/jvm");
        Path running = Paths.get(System.getProperty("java.home")).toRealPath();
        List<Path> found = new java.util.ArrayList<>();
        if (Files.isDirectory(jvms)) {
            try (java.util.stream.Stream<Path> s = Files.list(jvms)) {
                for (Path jdk : (Iterable<Path>) s.sorted()::iterator) {
                    if (Files.isExecutable(jdk.resolve("bin").resolve("java")) && !Files.isSymbolicLink(jdk)
                            && !jdk.toRealPath().equals(running)) {
                        found.add(jdk);
                    }
                }
            }
        }
        return found;
    }

    /** Runs a process in {@code dir} with JAVA_HOME set to the JDK running the tests. */
    static Run exec(Path dir, int seconds, String... command) throws Exception {
        return execWith(System.getProperty("java.home"), dir, seconds, command);
    }

    /** Runs a process in {@code dir} with JAVA_HOME set to {@code javaHome}. */
    static Run execWith(String javaHome, Path dir, int seconds, String... command) throws Exception {
        return execWith(javaHome, java.util.Map.of(), dir, seconds, command);
    }

    /** Runs a process in {@code dir} with JAVA_HOME set to {@code javaHome} and {@code env} added. */
    static Run execWith(String javaHome, java.util.Map<String, String> env, Path dir, int seconds, String... command)
            throws Exception {
        Path out = Files.createTempFile("trailguard-out", ".txt");
        Path err = Files.createTempFile("trailguard-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("TRAILGUARD_OPTS", "-Xmx768m");
        if (!env.containsKey("TRAILGUARD_CACHE")) {
            // the launcher's class-data archive: never in the home directory of whoever runs the tests
            pb.environment().put("TRAILGUARD_CACHE", dir.resolve(".trailguard-cache").toString());
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
