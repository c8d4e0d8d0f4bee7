package io.trailguard.job.replay;

import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.event.InputDocument;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;

import java.io.Serializable;
import java.util.Iterator;

/**
 * One replay input as a split of {@link ReplayFilesSource}: the input and how many of its records were emitted
 * already (a restored split skips them).
 */
public final class ReplaySplit implements IteratorSourceSplit<RawRecord, ReplaySplit.Records>, Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final ReplayInput input;
    private final long emitted;

    ReplaySplit(int index, ReplayInput input, long emitted) {
        this.index = index;
        this.input = input;
        this.emitted = emitted;
    }

    @Override
    public String splitId() {
        return Integer.toString(index);
    }

    int index() {
        return index;
    }

    ReplayInput input() {
        return input;
    }

    long emitted() {
        return emitted;
    }

    @Override
    public Records getIterator() {
        Records r = new Records(input.documents());
        for (long i = 0; i < emitted && r.hasNext(); i++) {
            r.next();
        }
        return r;
    }

    @Override
    public ReplaySplit getUpdatedSplitForIterator(Records iterator) {
        return new ReplaySplit(index, input, iterator.count);
    }

    @Override
    public String toString() {
        return "ReplaySplit{" + index + ": " + input + ", " + emitted + " emitted}";
    }

    /** The input's records, counting what was taken. */
    public static final class Records implements Iterator<RawRecord> {
        private final Iterator<InputDocument> documents;
        private long count;

        Records(Iterator<InputDocument> documents) {
            this.documents = documents;
        }

        @Override
        public boolean hasNext() {
            return documents.hasNext();
        }

        @Override
        public RawRecord next() {
            RawRecord r = ReplayInput.record(documents.next());
            count++;
            return r;
        }
    }
}
