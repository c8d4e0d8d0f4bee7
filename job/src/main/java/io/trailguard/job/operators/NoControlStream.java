package io.trailguard.job.operators;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The control input when the rules never change (replay, and {@code run} without a control stream): a bounded source
 * (the Source API) without splits that ends as soon as its enumerator has told it so.
 *
 * <p>Bounded and finishing, not idle for ever: a bounded replay must end when its events end, and a source that never
 * finishes would keep it running. A finished task does not stop checkpoints in Flink 1.20, whose
 * {@code execution.checkpointing.checkpoints-after-tasks-finish} is on by default; the graph does not depend on the
 * end of this input's event time either, because the rule bundles carry none ({@code NoEventTime}) and the
 * broadcast side never holds back the events' watermark.
 */
public final class NoControlStream implements Source<RawRecord, NoControlStream.NoSplit, Void> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<NoSplit, Void> createEnumerator(SplitEnumeratorContext<NoSplit> context) {
        return new NoSplits(context);
    }

    @Override
    public SplitEnumerator<NoSplit, Void> restoreEnumerator(SplitEnumeratorContext<NoSplit> context, Void checkpoint) {
        return new NoSplits(context);
    }

    @Override
    public SimpleVersionedSerializer<NoSplit> getSplitSerializer() {
        return new NothingSerializer<>();
    }

    @Override
    public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
        return new NothingSerializer<>();
    }

    @Override
    public SourceReader<RawRecord, NoSplit> createReader(SourceReaderContext context) {
        return new EmptyReader();
    }

    /** The split type; no instance is ever made. */
    public static final class NoSplit implements SourceSplit {
        private NoSplit() {
        }

        @Override
        public String splitId() {
            return "none";
        }
    }

    /** Tells every reader at once that no split will come. */
    private static final class NoSplits implements SplitEnumerator<NoSplit, Void> {
        private final SplitEnumeratorContext<NoSplit> context;

        NoSplits(SplitEnumeratorContext<NoSplit> context) {
            this.context = context;
        }

        @Override
        public void start() {
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
        }

        @Override
        public void addSplitsBack(List<NoSplit> splits, int subtaskId) {
        }

        @Override
        public void addReader(int subtaskId) {
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Void snapshotState(long checkpointId) {
            return null;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Ends its input once the enumerator has said that no split will come: ending before that event arrives would
     * lose it (an event to a finished task), which Flink answers with a failover.
     */
    private static final class EmptyReader implements SourceReader<RawRecord, NoSplit> {
        private final CompletableFuture<Void> noMoreSplits = new CompletableFuture<>();

        @Override
        public void start() {
        }

        @Override
        public InputStatus pollNext(ReaderOutput<RawRecord> output) {
            return noMoreSplits.isDone() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public List<NoSplit> snapshotState(long checkpointId) {
            return Collections.emptyList();
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return noMoreSplits;
        }

        @Override
        public void addSplits(List<NoSplit> splits) {
        }

        @Override
        public void notifyNoMoreSplits() {
            noMoreSplits.complete(null);
        }

        @Override
        public void close() {
        }
    }

    /** Serializes the values that never exist (no split) or carry nothing (the enumerator's state). */
    private static final class NothingSerializer<T> implements SimpleVersionedSerializer<T> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(T obj) {
            return new byte[0];
        }

        @Override
        public T deserialize(int version, byte[] serialized) {
            return null;
        }
    }
}
