package io.trailguard.bench.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;

import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end benchmark: {@code java -jar bench/target/benchmarks.jar e2e [--events N] [--rules PATH...]
 * [--input PATH...] [--rate EVENTS_PER_S] [--matching all|first] [--buffer-timeout MS] [--parallelism N]}.
 *
 * <p>Builds N raw CloudTrail records in memory ({@link BenchRecords}), runs them through the real detection graph
 * in a MiniCluster with parallelism {@code --parallelism} (default: the available cores; {@link JobUnderBench}), then through the engine alone on one
 * thread in the same JVM ({@link EngineAlone}), and prints both throughputs, their ratio and the event-to-alert
 * latency. Both are measured warm: a warm-up job over the first {@value #WARM_UP_EVENTS} records (or all, when
 * fewer) and an engine pass over them run first, so that JIT compilation is not measured.
 *
 * <p>The job uses <b>streaming</b> settings over the bounded source, as in production (watermarks follow event time,
 * 15 min out-of-orderness). Latency is measured on <b>single-event alerts</b> only: a rate alert waits for the
 * watermark to pass the event's time, a property of the input's time spacing in a full-speed run, not of the job.
 * Without {@code --rate} the source runs flat out, so the latency includes queueing in full network buffers (the
 * worst case under saturation); {@code --rate} paces it. Job throughput is N / (first event emitted to job finished).
 */
public final class EndToEndBench {
    static final int DEFAULT_EVENTS = 200_000;
    /** Events of the warm-up pass that precedes each measurement. */
    static final int WARM_UP_EVENTS = 1_000_000;
    public static final String USAGE = "usage: java -jar bench/target/benchmarks.jar e2e [--events N] [--rules PATH...] "
            + "[--input PATH...] [--rate EVENTS_PER_S] [--matching all|first] [--buffer-timeout MS] [--parallelism N]";

    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the bench; 0 done, 1 invalid rules, 2 usage error. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int n = DEFAULT_EVENTS;
        double rate = 0;
        long bufferTimeout = -1;
        int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
        MatchingMode matching = MatchingMode.ALL;
        List<Path> rulePaths = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        List<Path> into = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") && into != null) {
                    into.add(Paths.get(a));
                    continue;
                }
                into = null;
                switch (a) {
                    case "--events": n = positive(args, ++i, a); break;
                    case "--rate": rate = positive(args, ++i, a); break;
                    case "--buffer-timeout": bufferTimeout = positive(args, ++i, a); break;
                    case "--parallelism": parallelism = count(args, ++i, a, 1); break;
                    case "--matching": matching = MatchingMode.parse(value(args, ++i, a)); break;
                    case "--rules": into = rulePaths; break;
                    case "--input": into = inputs; break;
                    default: throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("e2e: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        RuleBundle bundle = bundle(rulePaths, matching, err);
        if (bundle == null) {
            return 1;
        }
        List<ObjectNode> templates = templates(inputs, "e2e", err);
        if (templates == null) {
            return 2;
        }
        List<byte[]> records = BenchRecords.generate(templates, n);
        RuleSet rules = CompiledBundle.compile(bundle, matching).ruleSet();
        err.printf(Locale.ROOT, "e2e: %d events from %d template records, %d rules, parallelism %d%n",
                n, templates.size(), rules.size(), parallelism);
        // Both sides are measured warm: on 2 cores the JIT compiler takes a large share of a cold run.
        List<byte[]> warmUp = records.subList(0, Math.min(records.size(), WARM_UP_EVENTS));
        err.printf(Locale.ROOT, "e2e: warming up with %d events (a job run and an engine pass)%n", warmUp.size());
        EngineAlone.run(warmUp, rules); // first: code the job shares with it then sees both callers
        JobUnderBench.run(warmUp, bundle, matching, parallelism, rate, bufferTimeout);

        JobUnderBench.Result job = JobUnderBench.run(records, bundle, matching, parallelism, rate, bufferTimeout);
        EngineAlone.Result engine = EngineAlone.run(records, rules);
        report(out, n, parallelism, rate, bufferTimeout, job, engine);
        return 0;
    }

    private static void report(PrintStream out, int n, int parallelism, double rate, long bufferTimeout,
                               JobUnderBench.Result job, EngineAlone.Result engine) {
        double jobRate = n / job.seconds;
        double engineRate = n / engine.seconds;
        int secondHalf = n - n / 2;
        double jobSteady = secondHalf / job.secondHalfSeconds;
        double engineSteady = secondHalf / engine.secondHalfSeconds;
        long[] lat = job.latencies;
        Arrays.sort(lat);
        out.printf(Locale.ROOT, "events: %d%n", n);
        out.printf(Locale.ROOT, "parallelism: %d%n", parallelism);
        out.printf(Locale.ROOT, "buffer timeout: %s%n", bufferTimeout < 0 ? "Flink default" : bufferTimeout + " ms");
        out.printf(Locale.ROOT, "alerts: %d (single-event %d, rate %d); engine alone: %d alerts, %d rate signals%n",
                job.single + job.rate, job.single, job.rate, engine.alerts, engine.signals);
        out.printf(Locale.ROOT, "job events/s: %.0f (%.2f s, first event emitted to job finished)%n", jobRate,
                job.seconds);
        out.printf(Locale.ROOT, "engine events/s: %.0f (one thread, %.2f s)%n", engineRate, engine.seconds);
        out.printf(Locale.ROOT, "ratio job/engine: %.2f%n", jobRate / engineRate);
        out.printf(Locale.ROOT, "second half: job events/s %.0f, engine events/s %.0f, ratio %.2f (the last %d "
                        + "events: the steady state of a long-running job)%n",
                jobSteady, engineSteady, jobSteady / engineSteady, secondHalf);
        out.printf(Locale.ROOT, "latency p50 ms: %.1f%n", percentile(lat, 0.50) / 1e6);
        out.printf(Locale.ROOT, "latency p99 ms: %.1f%n", percentile(lat, 0.99) / 1e6);
        out.printf(Locale.ROOT, "latency max ms: %.1f (%d single-event alerts timed, source %s; rate alerts "
                        + "wait for the event-time watermark and are not timed)%n", percentile(lat, 1.0) / 1e6,
                lat.length, rate > 0 ? String.format(Locale.ROOT, "paced at %.0f events/s", rate) : "unpaced");
    }

    /** The bundled packs, or the rule files under the paths; null after printing the errors when they do not load. */
    static RuleBundle bundle(List<Path> paths, MatchingMode matching, PrintStream err) throws Exception {
        List<RuleSource> sources;
        try {
            sources = paths.isEmpty() ? RuleLoader.bundledPacks() : RuleLoader.sources(paths);
        } catch (NoSuchFileException e) {
            err.println("e2e: rules path does not exist: " + e.getFile());
            return null;
        }
        LoadResult r = RuleLoader.load(sources, LoadOptions.defaults().matching(matching));
        for (Diagnostic d : r.errors()) {
            err.println(d);
        }
        if (!r.ok() || r.ruleSet().size() == 0) {
            err.println("e2e: invalid rules: " + r.errors().size() + " error(s), " + (r.ok() ? r.ruleSet().size() : 0)
                    + " rules");
            return null;
        }
        return RuleBundle.ofSources(paths.isEmpty() ? "bundled" : "local", null, sources, "bench");
    }

    /**
     * The template records: the job's samples, or the CloudTrail records of {@code inputs}; null after printing why
     * when a path is missing or holds no record.
     */
    static List<ObjectNode> templates(List<Path> inputs, String command, PrintStream err) throws Exception {
        List<ObjectNode> templates;
        try {
            templates = inputs.isEmpty() ? BenchRecords.sampleRecords()
                    : BenchRecords.fileRecords(inputs, w -> err.println(command + ": warning: " + w));
        } catch (NoSuchFileException e) {
            err.println(command + ": input path does not exist: " + e.getFile());
            return null;
        }
        if (templates.isEmpty()) {
            err.println(command + ": no CloudTrail records in the input");
            return null;
        }
        return templates;
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A positive integer; 0 too for {@code --buffer-timeout} (flush after every record). */
    private static int positive(String[] args, int i, String option) {
        return count(args, i, option, option.equals("--buffer-timeout") ? 0 : 1);
    }

    /**
     * The integer value of {@code option} at {@code args[i]} ({@code _} and {@code ,} may group digits), at least
     * {@code min}.
     */
    static int count(String[] args, int i, String option, int min) {
        String v = value(args, i, option);
        try {
            int x = Integer.parseInt(v.replace("_", "").replace(",", ""));
            if (x < min) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive integer, got '" + v + "'");
        }
    }
}
