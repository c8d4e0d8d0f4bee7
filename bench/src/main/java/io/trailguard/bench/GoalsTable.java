package io.trailguard.bench;

import io.trailguard.bench.e2e.EndToEndBench;
import io.trailguard.bench.e2e.LatencySweep;
import io.trailguard.bench.e2e.ReplayGoals;
import io.trailguard.bench.e2e.Spread;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every goal of issue 21 measured in one invocation, one table: {@code java -jar bench/target/benchmarks.jar goals
 * [--runs N] [--quick] [--jar PATH | --launcher DIST/bin/trailguard]}. Each of N rounds (default 3) runs, in turn:
 * the JMH engine benchmarks the engine and scaling goals name (one fork, 2 × 2 s warm-up, 3 × 1 s measurement, the
 * settings at which the 10,000-rule ratio agrees with long runs), one {@code replay-goals} run (needs the job jar, or
 * with {@code --launcher} an extracted distribution), {@code latency} at the 100 ms and the default 10 ms buffer
 * timeouts (in alternating order from round to round), {@code e2e} (steady state of the job against one engine
 * thread), and the rate operator's state per key at 100,000 keys ({@link OperatorStateSize}). Each measurement's own
 * report goes to stderr; stdout ends with the table: goal, target, measured as min / median / max over the rounds,
 * rounds measured, and met, judged on the median. {@code --quick} runs everything at smoke sizes (JMH in-process,
 * 100 ms iterations; one round unless {@code --runs} says otherwise): the table's shape, not its figures.
 */
public final class GoalsTable {
    public static final String USAGE = "usage: java -jar bench/target/benchmarks.jar goals [--runs N] [--quick] "
            + "[--jar PATH | --launcher DIST/bin/trailguard]";

    /** How a figure is compared with its target. */
    enum Bound {
        AT_LEAST(">= "), BELOW("< "), AT_MOST("<= ");

        final String sign;

        Bound(String sign) {
            this.sign = sign;
        }

        boolean met(double value, double target) {
            return this == AT_LEAST ? value >= target : this == BELOW ? value < target : value <= target;
        }
    }

    /** One goal: its target and what each round measured (null where a round could not measure it). */
    static final class Goal {
        final String name;
        final Bound bound;
        final double target;
        final String format;
        final List<Double> values = new ArrayList<>();
        final List<String> details = new ArrayList<>();

        Goal(String name, Bound bound, double target, String format) {
            this.name = name;
            this.bound = bound;
            this.target = target;
            this.format = format;
        }

        void add(Double value, String detail) {
            values.add(value);
            details.add(detail);
        }

        /** The table row: the spread over the rounds that measured it, with the detail of the round nearest the median. */
        String line() {
            List<Double> measured = new ArrayList<>();
            for (Double v : values) {
                if (v != null) {
                    measured.add(v);
                }
            }
            String target = bound.sign + String.format(Locale.ROOT, format, this.target);
            if (measured.isEmpty()) {
                String why = details.isEmpty() ? "" : details.get(details.size() - 1);
                return "| " + name + " | " + target + " | not measured" + (why.isEmpty() ? "" : " (" + why + ")")
                        + " | 0 | not measured |";
            }
            Spread spread = Spread.of(measured.stream().mapToDouble(Double::doubleValue).toArray());
            String detail = "";
            double nearest = Double.MAX_VALUE;
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) != null && Math.abs(values.get(i) - spread.median) < nearest) {
                    nearest = Math.abs(values.get(i) - spread.median);
                    detail = details.get(i);
                }
            }
            return "| " + name + " | " + target + " | " + spread.text(format)
                    + (detail.isEmpty() ? "" : " (" + detail + ")") + " | " + spread.count + " | "
                    + (bound.met(spread.median, this.target) ? "**met**" : "**not met**") + " |";
        }
    }

    /** The goals in the order they were first measured, each with its readings of every round. */
    static final class Goals {
        private final Map<String, Goal> byName = new LinkedHashMap<>();

        void add(String name, Bound bound, double target, String format, Double value, String detail) {
            byName.computeIfAbsent(name, n -> new Goal(n, bound, target, format)).add(value, detail);
        }

        Iterable<Goal> all() {
            return byName.values();
        }
    }

    private GoalsTable() {
    }

    /** Runs every goal's measurement in each round and prints the table; 0 done (whatever is met), 2 usage error. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        boolean quick = false;
        Integer runs = null;
        Path jar = Paths.get("job", "target", "trailguard.jar");
        Path launcher = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--runs") && i + 1 < args.length && args[i + 1].matches("[1-9]\\d{0,2}")) {
                runs = Integer.valueOf(args[++i]);
            } else if (args[i].equals("--jar") && i + 1 < args.length) {
                jar = Paths.get(args[++i]);
            } else if (args[i].equals("--launcher") && i + 1 < args.length) {
                launcher = Paths.get(args[++i]);
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        int rounds = runs != null ? runs : quick ? 1 : 3;
        Goals goals = new Goals();
        for (int round = 1; round <= rounds; round++) {
            err.printf(Locale.ROOT, "goals: round %d of %d%n", round, rounds);
            engine(quick, err, goals);
            replay(quick, jar, launcher, err, goals);
            latency(quick, round, err, goals);
            endToEnd(quick, err, goals);
            state(quick, err, goals);
        }
        out.println();
        out.printf(Locale.ROOT, "goals (%s run, %d round%s; %d cores, Java %s)%n", quick ? "quick smoke" : "full",
                rounds, rounds == 1 ? "" : "s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        out.println("| goal | target | measured (min / median / max) | rounds | met? |");
        out.println("|---|---|---|---:|---|");
        for (Goal g : goals.all()) {
            out.println(g.line());
        }
        return 0;
    }

    private static void engine(boolean quick, PrintStream err, Goals goals) throws Exception {
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
            opts.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        err.println("goals: JMH engine benchmarks");
        Map<String, Double> score = BenchMain.scores(new Runner(opts.build(),
                OutputFormatFactory.createFormatInstance(err, VerboseMode.NORMAL)).run());
        for (Map.Entry<String, Double> e : score.entrySet()) {
            err.printf(Locale.ROOT, "goals: %s %,.0f events/s%n", e.getKey(), e.getValue());
        }
        goals.add("Engine (bundled + SigmaHQ, one thread) / warm `readTree`", Bound.AT_LEAST, 1.0, "%.2f",
                ratio(score.get("engine"), score.get("parse")), "JMH `engine` / `parse`");
        goals.add("10,000 realistic rules / 10 rules", Bound.AT_LEAST, 0.5, "%.3f",
                ratio(score.get("scaling/realistic/10000"), score.get("scaling/realistic/10")),
                "JMH `scaling/realistic`");
    }

    private static void replay(boolean quick, Path jar, Path launcher, PrintStream err, Goals goals)
            throws Exception {
        int events = quick ? 100 : 200_000;
        String small = quick ? "100" : "20000";
        boolean runnable = launcher != null ? Files.isExecutable(launcher) : Files.isRegularFile(jar);
        String[] how = launcher != null ? new String[] {"--launcher", launcher.toString()}
                : new String[] {"--jar", jar.toString()};
        String o = runnable ? capture(err, "replay-goals", (out, e) -> ReplayGoals.run(concat(new String[] {
                "--runs", "1", "--events", String.valueOf(events)}, how), out, e)) : null;
        String why = o != null ? "" : runnable ? "replay-goals failed" : (launcher != null ? launcher : jar) + " not built";
        goals.add("Replay of " + events + " records incl. start-up / warm `readTree`", Bound.AT_LEAST, 1.2, "%.2f",
                median(o, "replay " + events + " events / readTree"), why);
        goals.add("Replay of " + small + " events, wall s", Bound.BELOW, 2.0, "%.2f",
                median(o, "replay " + small + " events, wall s (goal"), why);
        goals.add("One-event replay, wall s", Bound.BELOW, 1.0, "%.2f", median(o, "replay 1 event, wall s"), why);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Odd rounds measure 100 ms first, even rounds 10 ms first, so neither timeout always runs on a cooler JVM. */
    private static void latency(boolean quick, int round, PrintStream err, Goals goals) throws Exception {
        String order = round % 2 == 1 ? "100,10" : "10,100";
        String[] args = quick ? new String[] {"--events", "600", "--peak-events", "1000", "--timeouts", order}
                : new String[] {"--timeouts", order};
        String o = capture(err, "latency", (out, e) -> LatencySweep.run(args, out, e));
        Matcher m = Pattern.compile("\\| 10 \\| ([\\d.]+) \\| ([\\d.]+) \\| [\\d.]+ \\| \\d+ \\| \\d+ \\| ([\\d.]+) \\|")
                .matcher(o == null ? "" : o);
        boolean found = m.find();
        goals.add("Streaming p99 at 5,000 events/s, default 10 ms buffer timeout, ms", Bound.BELOW, 50, "%.1f",
                found ? Double.valueOf(m.group(2)) : null,
                found ? "p50 " + m.group(1) + " ms; tasks RUNNING before the paced source starts, start-up apart" : "");
        goals.add("Peak throughput at 10 ms / at 100 ms buffer timeout", Bound.AT_LEAST, 0.9, "%.2f",
                found ? Double.valueOf(m.group(3)) : null, "at most 10 % lost");
    }

    private static void endToEnd(boolean quick, PrintStream err, Goals goals) throws Exception {
        String[] args = quick ? new String[] {"--events", "2000"} : new String[] {"--events", "1000000"};
        String o = capture(err, "e2e", (out, e) -> EndToEndBench.run(args, out, e));
        Matcher m = Pattern.compile("second half: job events/s (\\d+), engine events/s (\\d+), ratio ([\\d.]+)")
                .matcher(o == null ? "" : o);
        boolean found = m.find();
        goals.add("Streaming job (parallelism = cores) / engine on one thread, steady state", Bound.AT_LEAST, 1.5,
                "%.2f", found ? Double.valueOf(m.group(3)) : null,
                found ? "job " + m.group(1) + " vs engine " + m.group(2) + " events/s, second half of " + args[1]
                        + " events" : "");
    }

    private static void state(boolean quick, PrintStream err, Goals goals) throws Exception {
        int keys = quick ? 1000 : 100_000;
        err.printf(Locale.ROOT, "goals: rate operator state at %d keys%n", keys);
        OperatorStateSize.Figures f = new OperatorStateSize().measure(keys, 1);
        err.println("goals: " + f.line());
        String detail = String.format(Locale.ROOT, "%,d keys of one event, entries and timers counted", keys);
        goals.add("Rate state per key on heap (HashMapStateBackend), B", Bound.AT_MOST, 300, "%.0f", f.heapPerKey,
                detail);
        goals.add("Rate state per key serialized (snapshot), B", Bound.AT_MOST, 300, "%.0f", f.serializedPerKey,
                detail);
        goals.add("Rate state per key on heap after a restore, B", Bound.AT_MOST, 300, "%.0f", f.restoredHeapPerKey,
                detail);
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
