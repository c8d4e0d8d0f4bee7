package io.trailguard.bench.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.MatchingMode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Latency against throughput for several network buffer timeouts, in one JVM: {@code java -jar
 * bench/target/benchmarks.jar latency [--rate EVENTS_PER_S] [--events N] [--peak-events N] [--peak-passes N]
 * [--timeouts MS,MS...]
 * [--rules PATH...] [--input PATH...]}.
 *
 * <p>For each timeout the streaming graph of {@link EndToEndBench} runs in a MiniCluster: paced at
 * {@code --rate} (default 5,000 events/s) for {@code --events} records, giving the event-to-alert latency of
 * single-event alerts (p50, p99, max), and unpaced for {@code --peak-events} records, giving the peak throughput
 * (the rate over the second half of those records).
 * A warm-up job runs first. The unpaced passes come after all the paced ones: {@code --peak-passes} (default 4) per
 * timeout, in list order, then in reverse, and so on, and each timeout's peak is the median of its passes, so that
 * neither the JVM warming up over the sweep nor a neighbour's burst of load favours one timeout. The peak
 * of each timeout is also given relative to the largest timeout of the list (the most batching), which is how much
 * throughput a shorter timeout gives up.
 *
 * <p>Each job's source starts once every task of the job is RUNNING ({@link JobUnderBench}), so the paced figures
 * are those of a running job; its start-up (submission to every task RUNNING, the most a record arriving at job
 * start waits on top) is its own column, and the p99 of the alerts on the first second's events is another.
 */
public final class LatencySweep {
    public static final String USAGE = "usage: java -jar bench/target/benchmarks.jar latency [--rate EVENTS_PER_S] "
            + "[--events N] [--peak-events N] [--peak-passes N] [--timeouts MS,MS...] [--rules PATH...] [--input PATH...]";

    private LatencySweep() {
    }

    /** Runs the sweep; 0 done, 1 invalid rules, 2 usage error. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        double rate = 5_000;
        int events = 25_000;
        int peakEvents = 200_000;
        int peakPasses = 4;
        long[] timeouts = {100, 10, 5, 1};
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
                    case "--rate": rate = EndToEndBench.count(args, ++i, a, 1); break;
                    case "--events": events = EndToEndBench.count(args, ++i, a, 1); break;
                    case "--peak-events": peakEvents = EndToEndBench.count(args, ++i, a, 1); break;
                    case "--peak-passes": peakPasses = EndToEndBench.count(args, ++i, a, 1); break;
                    case "--timeouts": timeouts = timeouts(args, ++i); break;
                    case "--rules": into = rulePaths; break;
                    case "--input": into = inputs; break;
                    default: throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("latency: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        RuleBundle bundle = EndToEndBench.bundle(rulePaths, MatchingMode.ALL, err);
        if (bundle == null) {
            return 1;
        }
        List<ObjectNode> templates = EndToEndBench.templates(inputs, "latency", err);
        if (templates == null) {
            return 2;
        }
        int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<byte[]> paced = BenchRecords.generate(templates, events);
        List<byte[]> peak = BenchRecords.generate(templates, peakEvents);
        err.printf(Locale.ROOT, "latency: warming up (%d events, unpaced)%n", peak.size());
        JobUnderBench.run(peak, bundle, MatchingMode.ALL, parallelism, 0, timeouts[0]);

        long most = Arrays.stream(timeouts).max().getAsLong();
        double[] peaks = new double[timeouts.length];
        long[][] latencies = new long[timeouts.length][];
        long[][] firstSecond = new long[timeouts.length][];
        double[] startups = new double[timeouts.length];
        for (int t = 0; t < timeouts.length; t++) {
            err.printf(Locale.ROOT, "latency: buffer timeout %d ms: %d events at %.0f/s%n",
                    timeouts[t], paced.size(), rate);
            JobUnderBench.Result r = JobUnderBench.run(paced, bundle, MatchingMode.ALL, parallelism, rate, timeouts[t]);
            latencies[t] = r.latencies.clone();
            Arrays.sort(latencies[t]);
            firstSecond[t] = firstSecond(r);
            Arrays.sort(firstSecond[t]);
            startups[t] = r.startupSeconds;
        }
        double[][] passes = new double[timeouts.length][peakPasses];
        for (int p = 0; p < peakPasses; p++) {
            for (int k = 0; k < timeouts.length; k++) {
                int t = p % 2 == 0 ? k : timeouts.length - 1 - k;
                passes[t][p] = peakRate(peak, bundle, parallelism, timeouts[t]);
                err.printf(Locale.ROOT, "latency: peak pass %d, buffer timeout %d ms: %.0f events/s%n", p + 1,
                        timeouts[t], passes[t][p]);
            }
        }
        for (int t = 0; t < timeouts.length; t++) {
            peaks[t] = Spread.of(passes[t]).median;
        }
        double reference = 0;
        for (int t = 0; t < timeouts.length; t++) {
            if (timeouts[t] == most) {
                reference = peaks[t];
            }
        }
        out.printf(Locale.ROOT, "paced at %.0f events/s, %d events; peak: median of %d passes of %d events unpaced; "
                + "parallelism %d%n", rate, paced.size(), peakPasses, peak.size(), parallelism);
        out.println("| buffer timeout ms | p50 ms | p99 ms | max ms | alerts timed | peak events/s | peak / "
                + most + " ms | first second p99 ms | start-up ms |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int t = 0; t < timeouts.length; t++) {
            long[] lat = latencies[t];
            out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %d | %.0f | %.2f | %.1f | %.0f |%n", timeouts[t],
                    EndToEndBench.percentile(lat, 0.50) / 1e6, EndToEndBench.percentile(lat, 0.99) / 1e6,
                    EndToEndBench.percentile(lat, 1.0) / 1e6, lat.length, peaks[t], peaks[t] / reference,
                    EndToEndBench.percentile(firstSecond[t], 0.99) / 1e6, startups[t] * 1e3);
        }
        return 0;
    }

    /**
     * Events per second of one unpaced pass, over the second half of its events: the source is held back by the
     * pipeline's bounded buffers, so its emission rate then is the job's, without the job's first second (JIT, buffers
     * filling) or its teardown after the last event, which vary more from pass to pass than the rate does.
     */
    private static double peakRate(List<byte[]> peak, RuleBundle bundle, int parallelism, long timeout)
            throws Exception {
        JobUnderBench.Result r = JobUnderBench.run(peak, bundle, MatchingMode.ALL, parallelism, 0, timeout);
        return r.secondHalfSeconds > 0 ? (peak.size() - 1 - peak.size() / 2) / r.secondHalfSeconds
                : peak.size() / r.seconds;
    }

    /** The latencies of the alerts on events emitted in the paced pass's first second. */
    private static long[] firstSecond(JobUnderBench.Result r) {
        long[] first = new long[r.latencies.length];
        int n = 0;
        for (int i = 0; i < r.latencies.length; i++) {
            if (r.emitOffsets[i] < 1_000_000_000L) {
                first[n++] = r.latencies[i];
            }
        }
        return Arrays.copyOf(first, n);
    }

    private static long[] timeouts(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("--timeouts needs a value");
        }
        String[] parts = args[i].split(",");
        long[] t = new long[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                t[k] = Long.parseLong(parts[k].trim());
            } catch (NumberFormatException e) {
                t[k] = -1;
            }
            if (t[k] < 0) {
                throw new IllegalArgumentException("--timeouts takes milliseconds >= 0, got '" + args[i] + "'");
            }
        }
        return t;
    }
}
