package io.trailguard.bench.e2e;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The real detection graph ({@link DetectionPipeline#build}) in a MiniCluster with streaming settings, fed by a
 * parallel in-memory source that stamps each record's emit time, ending in a sink that discards alerts and records
 * the event-to-alert latency of single-event alerts.
 */
final class JobUnderBench {
    /** Per-run data shared between the bench and the MiniCluster's tasks (same JVM, same class loader). */
    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    static final class Result {
        double seconds;
        /** From the emission of the record at the middle of the run (by time) to that of the last record. */
        double secondHalfSeconds;
        long single;
        long rate;
        long[] latencies;
    }

    private static final class Run {
        final List<byte[]> records;
        final AtomicLongArray emitNanos;
        final double rate;
        final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        final AtomicLong singleAlerts = new AtomicLong();
        final AtomicLong rateAlerts = new AtomicLong();
        final AtomicLong firstEmit = new AtomicLong(Long.MAX_VALUE);

        Run(List<byte[]> records, double rate) {
            this.records = records;
            this.emitNanos = new AtomicLongArray(records.size());
            this.rate = rate;
        }
    }

    private JobUnderBench() {
    }

    /**
     * @param rate            events per second the source is paced at, or 0 for flat out
     * @param bufferTimeoutMs Flink's network buffer timeout, or a negative value for Flink's default
     */
    static Result run(List<byte[]> records, RuleBundle bundle, MatchingMode matching, int parallelism, double rate,
                      long bufferTimeoutMs) throws Exception {
        String id = UUID.randomUUID().toString();
        Run run = new Run(records, rate);
        RUNS.put(id, run);
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                    new Configuration());
            env.setParallelism(parallelism);
            if (bufferTimeoutMs >= 0) {
                env.setBufferTimeout(bufferTimeoutMs);
            }
            DataStream<RawRecord> events = env
                    .addSource(new BenchSource(id), "Bench events", TypeInformation.of(RawRecord.class))
                    .name("Bench events").uid("bench-source");
            DetectionPipeline.build(env, events, null, PipelineSettings.streaming(bundle).withMatching(matching),
                    List.of(new LatencyOutput(id)));
            env.execute("trailguard bench");
            long end = System.nanoTime();
            Result r = new Result();
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
            r.latencies = run.latencies.stream().flatMapToLong(Arrays::stream).toArray();
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
        public void run(SourceContext<RawRecord> ctx) {
            Run run = RUNS.get(runId);
            int k = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int p = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            double perSubtaskNanos = run.rate > 0 ? 1e9 * p / run.rate : 0;
            long start = System.nanoTime();
            run.firstEmit.accumulateAndGet(start, Math::min);
            long emitted = 0;
            for (int i = k; i < run.records.size() && running; i += p) {
                if (perSubtaskNanos > 0) {
                    long wait = start + (long) (emitted * perSubtaskNanos) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                RawRecord r = new RawRecord(run.records.get(i), ORIGIN); // every record is valid
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

    /** Discards alerts, recording the event-to-alert latency of single-event alerts. */
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

    private static final class Writer implements SinkWriter<Alert> {
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
            if (a.incident() != null) {
                return; // incident versions summarise alerts already counted; the engine alone has no incident stage
            }
            if (a.rate() != null) {
                rate++;
                return;
            }
            single++;
            int i = BenchRecords.indexOf(a.event().id());
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
