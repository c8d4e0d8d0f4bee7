package io.trailguard.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.Json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The replay goals side by side in one run: {@code java -jar bench/target/benchmarks.jar replay-goals [--runs N]
 * [--events N] [--jar job/target/trailguard.jar | --launcher DIST/bin/trailguard] [--input PATH...]}.
 *
 * <p>Writes three JSON-lines files of EventBridge-wrapped CloudTrail records ({@link BenchRecords}: the input files'
 * records, or the job's samples, replicated with fresh ids): N (default 200,000), 20,000 and 1 event. Each run then, in turn,
 * measures a warm single-thread Jackson {@code readTree} of the 200,000 lines in this JVM (the yardstick: the same
 * bytes, after a warm-up of the same work), and times {@code java -jar trailguard.jar replay --input FILE} as a whole
 * process (JVM start, rule loading, reading, evaluation, output) for each file. The ratio is taken within each run,
 * so a busy machine moves both sides. Prints min/median/max over the runs.
 *
 * <p>With {@code --launcher}, each replay runs through an extracted distribution's {@code bin/trailguard} instead,
 * as users run it (with its JIT choice and start-up archive, {@code TRAILGUARD_CACHE} in the temporary folder); one
 * untimed one-event replay first makes that archive, as a user's first replay does, and its wall is reported.
 */
public final class ReplayGoals {
    static final int DEFAULT_EVENTS = 200_000;

    private ReplayGoals() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int runs = 3;
        int events = DEFAULT_EVENTS;
        Path jar = Paths.get("job", "target", "trailguard.jar");
        Path launcher = null;
        List<Path> inputs = new ArrayList<>();
        boolean inInputs = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs") && i + 1 < args.length) {
                runs = Integer.parseInt(args[++i]);
                inInputs = false;
            } else if (args[i].equals("--events") && i + 1 < args.length) {
                events = Integer.parseInt(args[++i]);
                inInputs = false;
            } else if (args[i].equals("--jar") && i + 1 < args.length) {
                jar = Paths.get(args[++i]);
                inInputs = false;
            } else if (args[i].equals("--launcher") && i + 1 < args.length) {
                launcher = Paths.get(args[++i]).toAbsolutePath();
                inInputs = false;
            } else if (args[i].equals("--input")) {
                inInputs = true;
            } else if (inInputs && !args[i].startsWith("--")) {
                inputs.add(Paths.get(args[i]));
            } else {
                err.println("usage: java -jar bench/target/benchmarks.jar replay-goals [--runs N] [--events N] "
                        + "[--jar PATH | --launcher DIST/bin/trailguard] [--input PATH...]");
                return 2;
            }
        }
        if (launcher != null && !Files.isExecutable(launcher)) {
            err.println("replay-goals: " + launcher + " is not an executable launcher (tar xf job/target/trailguard-*.tar.gz)");
            return 2;
        }
        if (launcher == null && !Files.isRegularFile(jar)) {
            err.println("replay-goals: " + jar + " not found (mvn -q package -DskipTests first)");
            return 2;
        }
        List<ObjectNode> templates = inputs.isEmpty() ? BenchRecords.sampleRecords()
                : BenchRecords.fileRecords(inputs, w -> err.println("replay-goals: warning: " + w));
        int[] sizes = {events, Math.min(events, 20_000), 1};
        Path dir = Files.createTempDirectory("replay-goals");
        Path[] files = new Path[sizes.length];
        List<byte[]> lines = null;
        for (int s = 0; s < sizes.length; s++) {
            List<byte[]> envelopes = envelopes(BenchRecords.generate(templates, sizes[s]));
            files[s] = dir.resolve("replay-" + sizes[s] + ".jsonl");
            write(files[s], envelopes);
            if (s == 0) {
                lines = envelopes;
            }
        }
        err.printf(Locale.ROOT, "replay-goals: %d template records; files in %s; %d runs; %s%n", templates.size(), dir,
                runs, launcher != null ? "through " + launcher : "java -jar " + jar);
        Replayer replayer = new Replayer(jar, launcher, dir.resolve("launcher-cache"));
        if (launcher != null) {
            err.printf(Locale.ROOT, "replay-goals: first replay (makes the start-up archive): %.2f s%n",
                    replayer.wall(files[sizes.length - 1]));
        }
        long sink = 0;
        for (int w = 0; w < 3; w++) {
            sink += readTree(lines); // warm-up of the yardstick
        }
        double[] treeRate = new double[runs];
        double[][] wall = new double[sizes.length][runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            sink += readTree(lines);
            treeRate[r] = lines.size() / ((System.nanoTime() - t0) / 1e9);
            for (int s = 0; s < sizes.length; s++) {
                wall[s][r] = replayer.wall(files[s]);
            }
            err.printf(Locale.ROOT, "replay-goals: run %d: readTree %.0f events/s; replay walls %.2f / %.2f / %.2f s%n",
                    r + 1, treeRate[r], wall[0][r], wall[1][r], wall[2][r]);
        }
        double[] ratio = new double[runs];
        for (int r = 0; r < runs; r++) {
            ratio[r] = sizes[0] / wall[0][r] / treeRate[r];
        }
        out.printf(Locale.ROOT, "readTree (one thread, warm) events/s: %s%n", mmm(treeRate, "%.0f"));
        out.printf(Locale.ROOT, "replay %d events, wall s: %s%n", sizes[0], mmm(wall[0], "%.2f"));
        out.printf(Locale.ROOT, "replay %d events / readTree (goal >= 1.2 at 200000): %s%n", sizes[0], mmm(ratio, "%.2f"));
        out.printf(Locale.ROOT, "replay %d events, wall s (goal < 2 at 20000): %s%n", sizes[1], mmm(wall[1], "%.2f"));
        out.printf(Locale.ROOT, "replay %d event, wall s (goal < 1): %s%n", sizes[2], mmm(wall[2], "%.2f"));
        if (sink == 42) {
            err.print("");
        }
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        deleteTree(dir);
        return 0;
    }

    /** Each record in an EventBridge envelope, as EventBridge delivers CloudTrail events. */
    static List<byte[]> envelopes(List<byte[]> records) throws IOException {
        List<byte[]> out = new ArrayList<>(records.size());
        int i = 0;
        for (byte[] r : records) {
            JsonNode record = Json.mapper().readTree(r);
            ObjectNode e = Json.mapper().createObjectNode();
            e.put("version", "0");
            e.put("id", "00000000-0000-4000-9000-" + String.format(Locale.ROOT, "%012d", i++));
            e.put("detail-type", "AWS API Call via CloudTrail");
            String source = record.path("eventSource").asText("unknown.amazonaws.com");
            e.put("source", "aws." + source.substring(0, Math.max(0, source.indexOf('.'))));
            e.put("account", record.path("recipientAccountId").asText("123456789012"));
            e.put("time", record.path("eventTime").asText());
            e.put("region", record.path("awsRegion").asText("us-east-1"));
            e.putArray("resources");
            e.set("detail", record);
            out.add(Json.mapper().writeValueAsBytes(e));
        }
        return out;
    }

    private static void write(Path f, List<byte[]> lines) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            for (byte[] l : lines) {
                o.write(l);
                o.write('\n');
            }
        }
    }

    private static long readTree(List<byte[]> lines) throws IOException {
        long n = 0;
        for (byte[] l : lines) {
            n += Json.mapper().readTree(l).size();
        }
        return n;
    }

    /** How a replay process is started: {@code java -jar JAR}, or a distribution's launcher. */
    private static final class Replayer {
        private final Path jar;
        private final Path launcher;
        private final Path cache;

        Replayer(Path jar, Path launcher, Path cache) {
            this.jar = jar;
            this.launcher = launcher;
            this.cache = cache;
        }

        /** Wall seconds of one replay process; its output is discarded. */
        double wall(Path input) throws Exception {
            ProcessBuilder pb;
            if (launcher != null) {
                pb = new ProcessBuilder(launcher.toString(), "replay", "--input", input.toString());
                pb.environment().put("TRAILGUARD_CACHE", cache.toString());
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            } else {
                String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
                pb = new ProcessBuilder(java, "-jar", jar.toString(), "replay", "--input", input.toString());
            }
            return replay(pb, input);
        }
    }

    private static double replay(ProcessBuilder pb, Path input) throws Exception {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("replay of " + input + " did not finish in 600 s");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("replay of " + input + " exited with " + p.exitValue());
        }
        return s;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** "min / median / max" of the values. */
    static String mmm(double[] v, String format) {
        return Spread.of(v).text(format) + " (min / median / max)";
    }

}
