package io.trailguard.bench;

import io.trailguard.bench.e2e.EndToEndBench;
import io.trailguard.bench.e2e.LatencySweep;
import io.trailguard.bench.e2e.ReplayGoals;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every goal of issue 21 measured in one invocation, one table: {@code java -jar bench/target/benchmarks.jar goals
 * [--quick] [--jar PATH | --launcher DIST/bin/trailguard]}. Runs, in turn: the JMH engine benchmarks the engine and scaling goals name (the
 * {@code --quick} settings of {@link BenchMain}: one fork, 1 × 1 s warm-up, 2 × 1 s measurement), {@code
 * replay-goals} (3 runs; needs the job jar, or with {@code --launcher} an extracted distribution), {@code latency} at the 100 ms and the default 10 ms buffer timeouts,
 * {@code e2e} (steady state of the job against one engine thread), and the rate operator's state per key at 100,000
 * keys ({@link OperatorStateSize}). Each measurement's own report goes to stderr; stdout ends with the table: goal,
 * target, measured, met. {@code --quick} runs everything at smoke sizes (JMH in-process, 100 ms iterations): the
 * table's shape, not its figures.
 */
public final class GoalsTable {
    public static final String USAGE =
            "usage: java -jar bench/target/benchmarks.jar goals [--quick] [--jar PATH | --launcher DIST/bin/trailguard]";

    /** One goal: a figure compared with its target (at least, below, or at most). */
    static final class Row {
        final String goal;
        final String target;
        final Double measured;
        final String detail;
        final Boolean met;

        Row(String goal, String target, Double measured, String detail, Boolean met) {
            this.goal = goal;
            this.target = target;
            this.measured = measured;
            this.detail = detail;
            this.met = met;
        }

        static Row atLeast(String goal, double target, Double measured, String format, String detail) {
            return new Row(goal, ">= " + fmt(format, target), measured, text(format, measured, detail),
                    measured == null ? null : measured >= target);
        }

        static Row below(String goal, double target, Double measured, String format, String detail) {
            return new Row(goal, "< " + fmt(format, target), measured, text(format, measured, detail),
                    measured == null ? null : measured < target);
        }

        static Row atMost(String goal, double target, Double measured, String format, String detail) {
            return new Row(goal, "<= " + fmt(format, target), measured, text(format, measured, detail),
                    measured == null ? null : measured <= target);
        }

        private static String text(String format, Double v, String detail) {
            return v == null ? "not measured" + (detail.isEmpty() ? "" : " (" + detail + ")")
                    : fmt(format, v) + (detail.isEmpty() ? "" : " (" + detail + ")");
        }

        private static String fmt(String format, double v) {
            return String.format(Locale.ROOT, format, v);
        }

        String line() {
            String m = measured == null ? "not measured" : met == null ? "-" : met ? "**met**" : "**not met**";
            return "| " + goal + " | " + target + " | " + detail + " | " + m + " |";
        }
    }

    private GoalsTable() {
    }

    /** Runs every goal's measurement and prints the table; 0 done (whatever is met), 2 usage error. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        boolean quick = false;
        Path jar = Paths.get("job", "target", "trailguard.jar");
        Path launcher = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--jar") && i + 1 < args.length) {
                jar = Paths.get(args[++i]);
            } else if (args[i].equals("--launcher") && i + 1 < args.length) {
                launcher = Paths.get(args[++i]);
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        List<Row> rows = new ArrayList<>();
        engine(quick, err, rows);
        replay(quick, jar, launcher, err, rows);
        latency(quick, err, rows);
        endToEnd(quick, err, rows);
        state(quick, err, rows);
        out.println();
        out.printf(Locale.ROOT, "goals (%s run; %d cores, Java %s)%n", quick ? "quick smoke" : "full",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.println("| goal | target | measured | met? |");
        out.println("|---|---|---|---|");
        for (Row r : rows) {
            out.println(r.line());
        }
        return 0;
    }

    private static void engine(boolean quick, PrintStream err, List<Row> rows) throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(EngineBenchmark.class.getName() + "\\.(parse|engine|scaling)$")
                .param("rules", "10", "10000")
                .param("mix", "realistic")
                .param("events", quick ? "1000" : "20000")
                .threads(1);
        if (quick) {
            opts.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
        } else {
            opts.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        err.println("goals: JMH engine benchmarks");
        Map<String, Double> score = BenchMain.scores(new Runner(opts.build(),
                OutputFormatFactory.createFormatInstance(err, VerboseMode.NORMAL)).run());
        for (Map.Entry<String, Double> e : score.entrySet()) {
            err.printf(Locale.ROOT, "goals: %s %,.0f events/s%n", e.getKey(), e.getValue());
        }
        rows.add(Row.atLeast("Engine (bundled + SigmaHQ, one thread) / warm `readTree`", 1.0,
                ratio(score.get("engine"), score.get("parse")), "%.2f", "JMH `engine` / `parse`"));
        rows.add(Row.atLeast("10,000 realistic rules / 10 rules", 0.5,
                ratio(score.get("scaling/realistic/10000"), score.get("scaling/realistic/10")), "%.3f",
                "JMH `scaling/realistic`"));
    }

    private static void replay(boolean quick, Path jar, Path launcher, PrintStream err, List<Row> rows)
            throws Exception {
        int events = quick ? 100 : 200_000;
        String small = quick ? "100" : "20000";
        boolean runnable = launcher != null ? Files.isExecutable(launcher) : Files.isRegularFile(jar);
        String[] how = launcher != null ? new String[] {"--launcher", launcher.toString()}
                : new String[] {"--jar", jar.toString()};
        String o = runnable ? capture(err, "replay-goals", (out, e) -> ReplayGoals.run(concat(new String[] {
                "--runs", quick ? "1" : "3", "--events", String.valueOf(events)}, how), out, e)) : null;
        String why = o == null ? (launcher != null ? launcher : jar) + " not built" : "";
        rows.add(Row.atLeast("Replay of " + events + " records incl. start-up / warm `readTree`", 1.2,
                median(o, "replay " + events + " events / readTree"), "%.2f", why.isEmpty() ? "median" : why));
        rows.add(Row.below("Replay of " + small + " events, wall s", 2.0,
                median(o, "replay " + small + " events, wall s (goal"), "%.2f", why.isEmpty() ? "median" : why));
        rows.add(Row.below("One-event replay, wall s", 1.0, median(o, "replay 1 event, wall s"), "%.2f",
                why.isEmpty() ? "median" : why));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void latency(boolean quick, PrintStream err, List<Row> rows) throws Exception {
        String[] args = quick ? new String[] {"--events", "600", "--peak-events", "1000", "--timeouts", "100,10"}
                : new String[] {"--timeouts", "100,10"};
        String o = capture(err, "latency", (out, e) -> LatencySweep.run(args, out, e));
        Matcher m = Pattern.compile("\\| 10 \\| ([\\d.]+) \\| ([\\d.]+) \\| [\\d.]+ \\| \\d+ \\| \\d+ \\| ([\\d.]+) \\|")
                .matcher(o == null ? "" : o);
        boolean found = m.find();
        rows.add(Row.below("Streaming p99 at 5,000 events/s, default 10 ms buffer timeout, ms", 50,
                found ? Double.valueOf(m.group(2)) : null, "%.1f", found ? "p50 " + m.group(1) + " ms; tasks RUNNING before the paced source starts, start-up apart" : ""));
        rows.add(Row.atLeast("Peak throughput at 10 ms / at 100 ms buffer timeout", 0.9,
                found ? Double.valueOf(m.group(3)) : null, "%.2f", "at most 10 % lost"));
    }

    private static void endToEnd(boolean quick, PrintStream err, List<Row> rows) throws Exception {
        String[] args = quick ? new String[] {"--events", "2000"} : new String[] {"--events", "1000000"};
        String o = capture(err, "e2e", (out, e) -> EndToEndBench.run(args, out, e));
        Matcher m = Pattern.compile("second half: job events/s (\\d+), engine events/s (\\d+), ratio ([\\d.]+)")
                .matcher(o == null ? "" : o);
        boolean found = m.find();
        rows.add(Row.atLeast("Streaming job (parallelism = cores) / engine on one thread, steady state", 1.5,
                found ? Double.valueOf(m.group(3)) : null, "%.2f",
                found ? "job " + m.group(1) + " vs engine " + m.group(2) + " events/s, second half of " + args[1]
                        + " events" : ""));
    }

    private static void state(boolean quick, PrintStream err, List<Row> rows) throws Exception {
        int keys = quick ? 1000 : 100_000;
        err.printf(Locale.ROOT, "goals: rate operator state at %d keys%n", keys);
        OperatorStateSize.Figures f = new OperatorStateSize().measure(keys, 1);
        err.println("goals: " + f.line());
        String detail = String.format(Locale.ROOT, "%,d keys of one event, entries and timers counted", keys);
        rows.add(Row.atMost("Rate state per key on heap (HashMapStateBackend), B", 300, f.heapPerKey, "%.0f",
                detail));
        rows.add(Row.atMost("Rate state per key serialized (snapshot), B", 300, f.serializedPerKey, "%.0f", detail));
        rows.add(Row.atMost("Rate state per key on heap after a restore, B", 300, f.restoredHeapPerKey, "%.0f",
                detail));
    }

    /** A measurement printing to its out: what it printed (also copied to {@code err}), or null if it failed. */
    interface Measurement {
        int run(PrintStream out, PrintStream err) throws Exception;
    }

    private static String capture(PrintStream err, String name, Measurement m) throws Exception {
        err.println("goals: " + name);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = m.run(new PrintStream(buffer, true, StandardCharsets.UTF_8), err);
        String o = buffer.toString(StandardCharsets.UTF_8);
        err.print(o);
        if (code != 0) {
            err.println("goals: " + name + " exited with " + code);
            return null;
        }
        return o;
    }

    /** The median of the line starting with {@code prefix}: its "min / median / max" or its single number. */
    static Double median(String output, String prefix) {
        if (output == null) {
            return null;
        }
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                Matcher m = Pattern.compile(": ([\\d.]+) / ([\\d.]+) / ([\\d.]+)").matcher(line);
                if (m.find()) {
                    return Double.valueOf(m.group(2));
                }
            }
        }
        return null;
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b <= 0 ? null : a / b;
    }
}
