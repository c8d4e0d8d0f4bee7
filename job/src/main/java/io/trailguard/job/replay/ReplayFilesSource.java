package io.trailguard.job.replay;

import io.trailguard.job.metrics.Counters;
import io.trailguard.job.metrics.ExportedMetrics;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.InstantiationUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded source of {@code replay} on a cluster: one split per input, read in order by one reader (run it with
 * parallelism 1), each split's documents from {@link ReplayInput#documents} as the reader pulls them. Counts finished
 * inputs in the {@value Counters#FILES_DONE} metric and, for the progress line of a replay whose MiniCluster runs in
 * this JVM, in {@link #filesDone(String)} under the run id. When the last split ends, the source ends and Flink
 * emits the final watermark, which ends event time for the replay.
 */
public final class ReplayFilesSource implements Source<RawRecord, ReplaySplit, Collection<ReplaySplit>> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicLong> FILES_DONE = new ConcurrentHashMap<>();

    private final ArrayList<ReplayInput> inputs;
    private final String runId;

    /** @param runId names the run's count of finished inputs ({@link #filesDone}) */
    public ReplayFilesSource(List<ReplayInput> inputs, String runId) {
        this.inputs = new ArrayList<>(inputs);
        this.runId = runId;
    }

    /** Inputs finished so far by the run's reader in this JVM (0 when none, or when it runs elsewhere). */
    public static long filesDone(String runId) {
        AtomicLong n = FILES_DONE.get(runId);
        return n == null ? 0 : n.get();
    }

    /** Forgets the run's count. */
    public static void forget(String runId) {
        FILES_DONE.remove(runId);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<ReplaySplit, Collection<ReplaySplit>> createEnumerator(
            SplitEnumeratorContext<ReplaySplit> context) {
        List<ReplaySplit> splits = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            splits.add(new ReplaySplit(i, inputs.get(i), 0));
        }
        return new IteratorSourceEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<ReplaySplit, Collection<ReplaySplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplaySplit> context, Collection<ReplaySplit> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SourceReader<RawRecord, ReplaySplit> createReader(SourceReaderContext context) {
        Counter metric = ExportedMetrics.counter(context.metricGroup(), Counters.FILES_DONE);
        AtomicLong local = FILES_DONE.computeIfAbsent(runId, k -> new AtomicLong());
        return new IteratorSourceReader<RawRecord, ReplaySplit.Records, ReplaySplit>(context) {
            @Override
            protected void finishSplit() {
                super.finishSplit();
                metric.inc();
                local.incrementAndGet();
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<ReplaySplit> getSplitSerializer() {
        return new JavaSerialized<>();
    }

    @Override
    public SimpleVersionedSerializer<Collection<ReplaySplit>> getEnumeratorCheckpointSerializer() {
        return new JavaSerialized<>();
    }

    /** Splits and the enumerator's remaining splits, with Java serialisation (they are small and rare). */
    private static final class JavaSerialized<T> implements SimpleVersionedSerializer<T> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(T obj) throws IOException {
            return InstantiationUtil.serializeObject(obj instanceof Collection && !(obj instanceof ArrayList)
                    ? new ArrayList<>((Collection<?>) obj) : obj);
        }

        @Override
        public T deserialize(int version, byte[] serialized) throws IOException {
            try {
                return InstantiationUtil.deserializeObject(serialized, ReplayFilesSource.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }
    }
}
