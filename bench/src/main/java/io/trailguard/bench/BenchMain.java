package io.trailguard.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.trailguard.bench.e2e.EndToEndBench;
import io.trailguard.bench.e2e.LatencySweep;
import io.trailguard.bench.e2e.ReplayGoals;
import io.trailguard.bench.profile.ProfileSummary;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the engine benchmarks in one JMH run and prints the medians side by side with the ratios the
 * performance targets are stated in: {@code java -jar bench/target/benchmarks.jar [--quick] [--events N]};
 * {@code java -jar bench/target/benchmarks.jar e2e ...} runs the end-to-end bench instead ({@link EndToEndBench}),
 * {@code latency ...} the latency sweep, {@code replay-goals ...} the replay goals, and {@code goals [--quick]} every
 * goal's measurement in one run with one table ({@link GoalsTable}), {@code profile FILE.jfr ...} where a recorded run
 * spent its CPU ({@link ProfileSummary}).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("e2e")) {
            System.exit(EndToEndBench.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("latency")) {
            System.exit(LatencySweep.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("replay-goals")) {
            System.exit(ReplayGoals.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("profile")) {
            System.exit(ProfileSummary.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("goals")) {
            System.exit(GoalsTable.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        boolean quick = false;
        String events = "20000";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--events") && i + 1 < args.length) {
                events = args[++i];
            } else {
                System.err.println("usage: java -jar bench/target/benchmarks.jar [--quick] [--events N]");
                System.err.println(EndToEndBench.USAGE);
                System.err.println(LatencySweep.USAGE);
                System.err.println(GoalsTable.USAGE);
                System.err.println(ProfileSummary.USAGE);
                System.exit(2);
            }
        }
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(EngineBenchmark.class.getName() + ".*")
                .param("events", events)
                .forks(1)
                .threads(1);
        if (quick) {
            opts.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        Map<String, Double> score = scores(results);
        Map<String, Double> error = new LinkedHashMap<>();
        for (RunResult r : results) {
            error.put(name(r), r.getPrimaryResult().getScoreError());
        }
        System.out.println();
        System.out.println("corpus: " + BenchCorpus.describe() + ", " + events + " events");
        System.out.println("| benchmark | events/s | ± |");
        System.out.println("|---|---:|---:|");
        for (Map.Entry<String, Double> e : score.entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f |%n", e.getKey(), e.getValue(), error.get(e.getKey()));
        }
        System.out.println();
        ratio("engine / parse (readTree) (goal >= 1.0)", score.get("engine"), score.get("parse"));
        ratio("engine / naive (JsonPath, library-only peer)", score.get("engine"), score.get("naive"));
        ratio("engine / competent (same tree and predicates, no index, no field cache)", score.get("engine"),
                score.get("competent"));
        ratio("scaling, realistic rules: 10,000 / 10 (goal >= 0.5)", score.get("scaling/realistic/10000"),
                score.get("scaling/realistic/10"));
        ratio("scaling, rules on absent names: 10,000 / 10", score.get("scaling/absent/10000"),
                score.get("scaling/absent/10"));
    }

    /** The score of each benchmark by its name in the table ({@code scaling/MIX/RULES} for the scaling ones). */
    static Map<String, Double> scores(Collection<RunResult> results) {
        Map<String, Double> score = new LinkedHashMap<>();
        for (RunResult r : results) {
            score.put(name(r), r.getPrimaryResult().getScore());
        }
        return score;
    }

    private static String name(RunResult r) {
        String name = r.getParams().getBenchmark();
        name = name.substring(name.lastIndexOf('.') + 1);
        if (name.equals("scaling")) {
            name = "scaling/" + r.getParams().getParam("mix") + "/" + r.getParams().getParam("rules");
        }
        return name;
    }

    private static void ratio(String label, Double a, Double b) {
        if (a != null && b != null && b > 0) {
            System.out.printf(Locale.ROOT, "%s: %.2f%n", label, a / b);
        }
    }
}
