package io.trailguard.bench.e2e;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.client.program.PerJobMiniClusterFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The real detection graph ({@link DetectionPipeline#build}) in a MiniCluster with streaming settings, fed by a
 * parallel in-memory source that stamps each record's emit time, ending in a sink that discards alerts and records
 * the event-to-alert latency of single-event alerts.
 *
 * <p>The source emits nothing until every task of the job is RUNNING, as a stream's records are read by a running
 * job: records emitted while the downstream tasks are still being deployed would wait in network buffers for them,
 * and that wait is the job's start-up, which {@link Result#startupSeconds} gives on its own.
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
        /** Emit time of each timed alert's event, ns after the first emission, in the order of {@link #latencies}. */
        long[] emitOffsets;
        /** From the job's submission to every one of its tasks RUNNING (when the source is let go). */
        double startupSeconds;
    }

    private static final class Run {
        final List<byte[]> records;
        final AtomicLongArray emitNanos;
        final double rate;
        final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<long[]> emits = new ConcurrentLinkedQueue<>();
        /** Opened when every task of the job is RUNNING. */
        final CountDownLatch allRunning = new CountDownLatch(1);
        final AtomicLong singleAlerts = new AtomicLong();
        final AtomicLong rateAlerts = new AtomicLong();
        final AtomicLong firstEmit = new AtomicLong(Long.MAX_VALUE);
        volatile double startupSeconds;

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
            execute(env, run);
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
            long first = run.firstEmit.get();
            r.emitOffsets = run.emits.stream().flatMapToLong(Arrays::stream).map(e -> e - first).toArray();
            r.startupSeconds = run.startupSeconds;
            return r;
        } finally {
            RUNS.remove(id);
        }
    }

    /**
     * Runs the job on a MiniCluster of its own (as {@code env.execute} would), opening {@code run}'s gate once every
     * task is RUNNING, and waits for the job to finish.
     */
    private static void execute(StreamExecutionEnvironment env, Run run) throws Exception {
        AtomicReference<MiniCluster> cluster = new AtomicReference<>();
        long submitted = System.nanoTime();
        JobClient job = PerJobMiniClusterFactory.createWithFactory(new Configuration(), c -> {
            MiniCluster m = new MiniCluster(c);
            cluster.set(m);
            return m;
        }).submitJob(env.getStreamGraph().getJobGraph(), JobUnderBench.class.getClassLoader()).get();
        try {
            awaitAllRunning(cluster.get(), job);
            run.startupSeconds = (System.nanoTime() - submitted) / 1e9;
        } finally {
            run.allRunning.countDown(); // also when the job failed first: its result says why
        }
        job.getJobExecutionResult().get();
    }

    /**
     * Returns once every execution of the job is RUNNING (or already FINISHED, as a source with nothing to read is),
     * or the job has ended (its result then tells how).
     */
    private static void awaitAllRunning(MiniCluster cluster, JobClient job) throws Exception {
        JobID id = job.getJobID();
        while (!job.getJobStatus().get().isTerminalState()) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(id).get();
            boolean all = true;
            for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
                ExecutionState state = v.getExecutionState();
                all &= state == ExecutionState.RUNNING || state == ExecutionState.FINISHED; // a source with no input ends
            }
            if (all) {
                return;
            }
            Thread.sleep(2);
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
            try {
                while (running && !run.allRunning.await(10, TimeUnit.MILLISECONDS)) {
                    // every task of the job RUNNING first, as a stream is read by a running job
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
        private long[] emits = new long[1024];
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
                emits = Arrays.copyOf(emits, size * 2);
            }
            long emitted = run.emitNanos.get(i);
            emits[size] = emitted;
            latencies[size++] = now - emitted;
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
                run.emits.add(Arrays.copyOf(emits, size));
                run.singleAlerts.addAndGet(single);
                run.rateAlerts.addAndGet(rate);
            }
        }
    }
}
