package io.trailguard.job.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.field.EvaluationContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code bench [--events N] [--rules PATH...] [--input PATH...] [--rate EVENTS_PER_S]}: the end-to-end benchmark.
 *
 * <p>Builds N raw CloudTrail records in memory (the bundled sample events, or the records of {@code --input} files,
 * replicated with fresh eventIDs, event times 10 ms apart and source IPs rotated over 256 addresses so rate rules see
 * many groups), runs them through the real detection graph ({@link DetectionPipeline#build}) in a MiniCluster with
 * parallelism = available cores (a parallel in-memory source, unwrap + evaluation, dedup, the keyed rate-rule path
 * and a discarding sink), then the same records through the engine alone on one thread in the same JVM (unwrap,
 * {@code RuleSet.evaluate} with signals, alert JSON), and prints both throughputs, their ratio and the
 * event-to-alert latency. Both are measured warm: a warm-up job over the first {@value #WARM_UP_EVENTS} records
 * (or all, when fewer) and an engine pass over them run first, so that JIT compilation is not measured.
 *
 * <p>The job uses <b>streaming</b> settings over the bounded source, as in production: watermarks follow event time
 * (15 min out-of-orderness). Latency is measured on <b>single-event alerts</b> only: emit time of the event at the
 * source to the alert's arrival at the sink. Rate alerts are counted but not timed: their firing waits for the
 * watermark to pass the event's time, i.e. for 15 min of event time to be read, which in a replay at full speed is a
 * property of the input's time spacing, not of the job. Without {@code --rate} the source runs flat out, so the
 * latency includes queueing in full network buffers (the worst case under saturation); {@code --rate} paces it.
 * Job throughput is N / (first event emitted → job finished).
 */
@picocli.CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "bench",
        sortOptions = false, description = {"End-to-end benchmark: N events (the samples or --input records, "
                + "replicated) through the job in a MiniCluster (streaming settings, parallelism = cores) and through "
                + "the engine alone on one thread; prints events/s, their ratio, alerts and p50/p99 event-to-alert "
                + "latency of single-event alerts (rate alerts are not timed)."})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    private final Cli cli;

    @picocli.CommandLine.Option(names = {"-n", "--events"}, paramLabel = "N",
            description = "events to generate (default " + DEFAULT_EVENTS + "; _ and , allowed as separators)")
    String events;

    @picocli.CommandLine.Mixin
    RuleOptions rules = new RuleOptions();

    @picocli.CommandLine.Option(names = {"-i", "--input"}, arity = "1..*", split = ",", paramLabel = "PATH",
            description = "template records from these files instead of the samples")
    List<String> inputs = new java.util.ArrayList<>();

    @picocli.CommandLine.Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "pace the source (default: flat out)")
    String rateOption;

    @picocli.CommandLine.Mixin
    Matching matchingOption = new Matching();

    BenchCommand(Cli cli) {
        this.cli = cli;
    }

    static final int DEFAULT_EVENTS = 200_000;
    /** Events of the warm-up pass that precedes each measurement. */
    static final int WARM_UP_EVENTS = 1_000_000;
    /** Event-time distance between consecutive generated events. */
    static final long EVENT_SPACING_MILLIS = 10;
    static final long BASE_TIME_MILLIS = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final String ID_PREFIX = "00000000-0000-4000-8000-";

    /** Per-run shared data between this JVM's command and the MiniCluster's tasks (same JVM, same class loader). */
    static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    static final class Run {
        final List<byte[]> records;
        final AtomicLongArray emitNanos;
        final double rate;
        final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicLong singleAlerts = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong rateAlerts = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong firstEmit = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

        Run(List<byte[]> records, double rate) {
            this.records = records;
            this.emitNanos = new AtomicLongArray(records.size());
            this.rate = rate;
        }
    }

    @Override
    public Integer call() throws Exception {
        int n = positiveInt("events", events, DEFAULT_EVENTS);
        double rate = rateOption != null ? positiveInt("rate", rateOption, 0) : 0;
        MatchingMode matching = matchingOption.mode("bench");
        RuleBundle bundle = RuleFiles.startupBundle("bench", rules.selection(), matching, cli.err);
        if (bundle == null) {
            return Commands.FAILURE;
        }
        List<ObjectNode> templates = !inputs.isEmpty() ? fileRecords(inputs, cli) : sampleRecords();
        if (templates.isEmpty()) {
            throw new UsageException("bench: no CloudTrail records in the input");
        }
        List<byte[]> records = generate(templates, n);
        int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
        RuleSet rules = CompiledBundle.compile(bundle, matching).ruleSet();
        cli.err.printf(Locale.ROOT, "bench: %d events from %d template records, %d rules, parallelism %d%n",
                n, templates.size(), rules.size(), parallelism);
        // Both sides are measured warm: a warm-up pass over the same records runs the same code first (a whole
        // job for the job side), so that neither measurement includes JIT compilation, which on 2 cores takes a
        // large share of a cold run (a third of the machine for the first 10 s of a job).
        List<byte[]> warmUp = records.subList(0, Math.min(records.size(), WARM_UP_EVENTS));
        cli.err.printf(Locale.ROOT, "bench: warming up with %d events (a job run and an engine pass)%n", warmUp.size());
        engine(warmUp, rules); // first: code the job shares with it then sees both callers before it is measured
        job(warmUp, bundle, matching, parallelism, rate);

        JobResult job = job(records, bundle, matching, parallelism, rate);
        EngineResult engine = engine(records, rules);

        double jobRate = n / job.seconds;
        double engineRate = n / engine.seconds;
        int secondHalf = n - n / 2;
        double jobSteady = secondHalf / job.secondHalfSeconds;
        double engineSteady = secondHalf / engine.secondHalfSeconds;
        long[] lat = job.latencies;
        Arrays.sort(lat);
        cli.out.printf(Locale.ROOT, "events: %d%n", n);
        cli.out.printf(Locale.ROOT, "parallelism: %d%n", parallelism);
        cli.out.printf(Locale.ROOT, "alerts: %d (single-event %d, rate %d); engine alone: %d alerts, %d rate signals%n",
                job.single + job.rate, job.single, job.rate, engine.alerts, engine.signals);
        cli.out.printf(Locale.ROOT, "job events/s: %.0f (%.2f s, first event emitted to job finished)%n", jobRate,
                job.seconds);
        cli.out.printf(Locale.ROOT, "engine events/s: %.0f (one thread, %.2f s)%n", engineRate, engine.seconds);
        cli.out.printf(Locale.ROOT, "ratio job/engine: %.2f%n", jobRate / engineRate);
        cli.out.printf(Locale.ROOT, "second half: job events/s %.0f, engine events/s %.0f, ratio %.2f (the last %d "
                + "events: source emission of event %d to the last one, the steady state of a long-running job)%n",
                jobSteady, engineSteady, jobSteady / engineSteady, secondHalf, n / 2 + 1);
        cli.out.printf(Locale.ROOT, "latency p50 ms: %.1f%n", percentile(lat, 0.50) / 1e6);
        cli.out.printf(Locale.ROOT, "latency p99 ms: %.1f%n", percentile(lat, 0.99) / 1e6);
        cli.out.printf(Locale.ROOT, "latency max ms: %.1f (%d single-event alerts timed, source %s; rate alerts "
                        + "wait for the event-time watermark and are not timed)%n", percentile(lat, 1.0) / 1e6,
                lat.length, rate > 0 ? String.format(Locale.ROOT, "paced at %.0f events/s", rate) : "unpaced");
        return 0;
    }

    private static int positiveInt(String name, String v, int dflt) throws UsageException {
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.replace("_", "").replace(",", ""));
            if (i <= 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new UsageException("bench: --" + name + " must be a positive integer, got '" + v + "'");
        }
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    // ---- events -------------------------------------------------------------------------------------------------

    /** The records of the bundled sample files. */
    static List<ObjectNode> sampleRecords() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        EventUnwrapper unwrapper = new EventUnwrapper();
        Collect sink = new Collect(out);
        for (String name : List.of("eventbridge-events.jsonl", "cloudtrail-log-file.json")) {
            try (InputStream in = BenchCommand.class.getClassLoader()
                    .getResourceAsStream(DemoCommand.SAMPLES_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("the sample events are missing from the jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (name.endsWith(".jsonl")) {
                    for (String line : text.split("\n")) {
                        if (!line.isBlank()) {
                            unwrapper.unwrap(line, name, sink);
                        }
                    }
                } else {
                    unwrapper.unwrap(text, name, sink);
                }
            }
        }
        return out;
    }

    static List<ObjectNode> fileRecords(List<String> inputs, Cli cli) throws IOException, UsageException {
        List<Path> paths = new ArrayList<>();
        for (String p : inputs) {
            paths.add(Paths.get(p));
        }
        List<ObjectNode> out = new ArrayList<>();
        InputFiles reader = new InputFiles(new EventUnwrapper());
        try {
            for (Path f : InputFiles.list(paths, w -> cli.err.println("bench: warning: " + w))) {
                reader.read(f, new Collect(out));
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("bench: input path does not exist: " + e.getFile());
        }
        return out;
    }

    /**
     * {@code n} raw records: the templates in turn, each copy with eventID {@code 00000000-0000-4000-8000-<index>},
     * eventTime {@value #EVENT_SPACING_MILLIS} ms after the previous one, and a source IP out of 256.
     */
    static List<byte[]> generate(List<ObjectNode> templates, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode copy = templates.get(i % templates.size()).deepCopy();
            copy.put("eventID", eventId(i));
            copy.put("eventTime", Instant.ofEpochMilli(BASE_TIME_MILLIS + i * EVENT_SPACING_MILLIS).toString());
            if (copy.has("sourceIPAddress")) {
                copy.put("sourceIPAddress", "198.51.100." + (i / templates.size()) % 256);
            }
            try {
                out.add(Json.mapper().writeValueAsBytes(copy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static String eventId(int index) {
        return ID_PREFIX + String.format(Locale.ROOT, "%012d", index);
    }

    /** The index of a generated eventID, or -1. */
    static int indexOf(String eventId) {
        if (eventId == null || eventId.length() != ID_PREFIX.length() + 12 || !eventId.startsWith(ID_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(eventId.substring(ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final class Collect implements EventSink {
        private final List<ObjectNode> out;

        Collect(List<ObjectNode> out) {
            this.out = out;
        }

        @Override
        public void event(CloudTrailEvent e) {
            out.add(e.record());
        }

        @Override
        public void deadLetter(DeadLetter d) {
            // only what parses is replicated
        }
    }

    // ---- the engine alone ---------------------------------------------------------------------------------------

    static final class EngineResult {
        double seconds;
        /** From the start of the record at the middle of the run to the end. */
        double secondHalfSeconds;
        long alerts;
        long signals;
    }

    /** Unwrap, evaluate with signals and render each alert as JSON, on this thread. */
    static EngineResult engine(List<byte[]> records, RuleSet rules) {
        EvaluationContext ctx = rules.newContext();
        EventUnwrapper unwrapper = new EventUnwrapper();
        List<CloudTrailEvent> events = new ArrayList<>(1);
        EventSink sink = new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                events.add(e);
            }

            @Override
            public void deadLetter(DeadLetter d) {
            }
        };
        List<Signal> signals = new ArrayList<>();
        EngineResult r = new EngineResult();
        long blackhole = 0;
        long t0 = System.nanoTime();
        long half = t0;
        for (int i = 0; i < records.size(); i++) {
            if (i == records.size() / 2) {
                half = System.nanoTime();
            }
            events.clear();
            unwrapper.unwrap(records.get(i), "bench", sink);
            for (CloudTrailEvent e : events) {
                signals.clear();
                for (Alert a : rules.evaluate(e, ctx, signals)) {
                    blackhole += a.toJson().length();
                    r.alerts++;
                }
                r.signals += signals.size();
            }
        }
        long end = System.nanoTime();
        r.seconds = (end - t0) / 1e9;
        r.secondHalfSeconds = (end - half) / 1e9;
        if (blackhole == 42) {
            System.err.print("");
        }
        return r;
    }

    // ---- the job ------------------------------------------------------------------------------------------------

    static final class JobResult {
        double seconds;
        /** From the emission of the record at the middle of the run (by time) to that of the last record. */
        double secondHalfSeconds;
        long single;
        long rate;
        long[] latencies;
    }

    static JobResult job(List<byte[]> records, RuleBundle bundle, MatchingMode matching, int parallelism, double rate)
            throws Exception {
        String id = UUID.randomUUID().toString();
        Run run = new Run(records, rate);
        RUNS.put(id, run);
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                    new Configuration());
            env.setParallelism(parallelism);
            org.apache.flink.streaming.api.datastream.DataStream<RawRecord> events = env
                    .addSource(new BenchSource(id), "Bench events", TypeInformation.of(RawRecord.class))
                    .name("Bench events").uid("bench-source");
            DetectionPipeline.build(env, events, null,
                    PipelineSettings.streaming(bundle).withMatching(matching),
                    List.of(new LatencyOutput(id)));
            env.execute("trailguard bench");
            long end = System.nanoTime();
            JobResult r = new JobResult();
            r.seconds = (end - run.firstEmit.get()) / 1e9;
            long[] emitted = new long[records.size()];
            for (int i = 0; i < emitted.length; i++) {
                emitted[i] = run.emitNanos.get(i);
            }
            Arrays.sort(emitted);
            // the source is held back by the pipeline (bounded network buffers), so its emission rate is the job's
            r.secondHalfSeconds = (emitted[emitted.length - 1] - emitted[emitted.length / 2]) / 1e9;
            r.single = run.singleAlerts.get();
            r.rate = run.rateAlerts.get();
            int size = 0;
            for (long[] l : run.latencies) {
                size += l.length;
            }
            r.latencies = new long[size];
            int at = 0;
            for (long[] l : run.latencies) {
                System.arraycopy(l, 0, r.latencies, at, l.length);
                at += l.length;
            }
            return r;
        } finally {
            RUNS.remove(id);
        }
    }

    /** Emits the run's records, subtask k taking every p-th from k, stamping each one's emit time. */
    static final class BenchSource extends RichParallelSourceFunction<RawRecord> {
        private static final long serialVersionUID = 1L;
        private static final String ORIGIN = "bench";
        private final String runId;
        private volatile boolean running = true;

        BenchSource(String runId) {
            this.runId = runId;
        }

        @Override
        public void run(SourceContext<RawRecord> ctx) throws Exception {
            Run run = RUNS.get(runId);
            int k = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int p = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            double perSubtaskNanos = run.rate > 0 ? 1e9 * p / run.rate : 0;
            long start = System.nanoTime();
            run.firstEmit.accumulateAndGet(start, Math::min);
            long emitted = 0;
            for (int i = k; i < run.records.size() && running; i += p) {
                if (perSubtaskNanos > 0) {
                    long due = start + (long) (emitted * perSubtaskNanos);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                RawRecord r = new RawRecord(run.records.get(i), ORIGIN); // every record is valid: no dead letter names it
                synchronized (ctx.getCheckpointLock()) {
                    run.emitNanos.set(i, System.nanoTime());
                    ctx.collect(r);
                }
                emitted++;
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /** Discards alerts, recording event-to-alert latency of single-event alerts. */
    static final class LatencyOutput implements PipelineOutput {
        private final String runId;

        LatencyOutput(String runId) {
            this.runId = runId;
        }

        @Override
        public String spec() {
            return "bench";
        }

        @Override
        public void attach(DetectionStreams streams) {
            streams.alerts().sinkTo(new LatencySink(runId)).name("Discard alerts (latency)").uid("sink-bench");
        }
    }

    static final class LatencySink implements Sink<Alert> {
        private static final long serialVersionUID = 1L;
        private final String runId;

        LatencySink(String runId) {
            this.runId = runId;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) {
            return new Writer(RUNS.get(runId));
        }

        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new Writer(RUNS.get(runId));
        }
    }

    static final class Writer implements SinkWriter<Alert> {
        private final Run run;
        private long[] latencies = new long[1024];
        private int size;
        private long single;
        private long rate;
        private boolean published;

        Writer(Run run) {
            this.run = run;
        }

        @Override
        public void write(Alert a, Context context) {
            long now = System.nanoTime();
            if (a.aggregate() != null) {
                rate++;
                return;
            }
            single++;
            int i = indexOf(a.eventId());
            if (i < 0) {
                return;
            }
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            latencies[size++] = now - run.emitNanos.get(i);
        }

        @Override
        public void flush(boolean endOfInput) {
            if (endOfInput) {
                publish();
            }
        }

        @Override
        public void close() {
            publish();
        }

        private void publish() {
            if (!published) {
                published = true;
                run.latencies.add(Arrays.copyOf(latencies, size));
                run.singleAlerts.addAndGet(single);
                run.rateAlerts.addAndGet(rate);
            }
        }
    }
}
