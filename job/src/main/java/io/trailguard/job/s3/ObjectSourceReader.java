package io.trailguard.job.s3;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reader of the S3-notification source: asks for one file at a time, emits its records, and reports a file as
 * completed to the enumerator (which deletes its message) only once a checkpoint taken after its last record has
 * completed. Until then the finished file stays in this reader's checkpointed state, so a restore still completes it.
 */
final class ObjectSourceReader
        extends SingleThreadMultiplexSourceReaderBase<RawRecord, RawRecord, ObjectSplit, ObjectSourceReader.Position> {
    /** Finished splits not yet covered by a completed checkpoint: those finished before snapshot N, by N. */
    private final TreeMap<Long, List<ObjectSplit>> finishedByCheckpoint = new TreeMap<>();
    private final List<ObjectSplit> finishedSinceSnapshot = new ArrayList<>();
    private final FileCounters counters;

    ObjectSourceReader(QueueSettings settings, Configuration config, SourceReaderContext context) {
        super(() -> new ObjectSplitReader(settings.s3()), new Emitter(), config, context);
        this.counters = FileCounters.reader(context.metricGroup());
    }

    /** A split's progress while it is read: records emitted, and whether the file failed. */
    static final class Position {
        final ObjectSplit split;
        long records;
        boolean failed;

        Position(ObjectSplit split) {
            this.split = split;
            this.records = split.recordsDone();
        }
    }

    static final class Emitter implements RecordEmitter<RawRecord, RawRecord, Position> {
        @Override
        public void emitRecord(RawRecord record, SourceOutput<RawRecord> output, Position position) {
            output.collect(record);
            if (record.failure != null) {
                position.failed = true;
            } else {
                position.records++;
            }
        }
    }

    @Override
    public void start() {
        super.start();
        context.sendSplitRequest();
    }

    @Override
    public void addSplits(List<ObjectSplit> splits) {
        List<ObjectSplit> toRead = new ArrayList<>();
        List<String> restoredFinished = new ArrayList<>();
        for (ObjectSplit s : splits) {
            if (s.finished()) {
                // restored: its records are in the checkpoint this job restored from, which is complete
                restoredFinished.add(s.splitId());
            } else {
                toRead.add(s);
            }
        }
        if (!restoredFinished.isEmpty()) {
            context.sendSourceEventToCoordinator(new SplitsCompleted(restoredFinished));
        }
        if (!toRead.isEmpty()) {
            super.addSplits(toRead);
        } else if (!restoredFinished.isEmpty()) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, Position> finished) {
        for (Position p : finished.values()) {
            if (p.failed) {
                counters.deadLettered.inc();
            } else {
                counters.read.inc();
            }
            finishedSinceSnapshot.add(p.split.at(p.records).asFinished());
        }
        context.sendSplitRequest();
    }

    @Override
    public List<ObjectSplit> snapshotState(long checkpointId) {
        List<ObjectSplit> state = new ArrayList<>(super.snapshotState(checkpointId));
        if (!finishedSinceSnapshot.isEmpty()) {
            finishedByCheckpoint.put(checkpointId, new ArrayList<>(finishedSinceSnapshot));
            finishedSinceSnapshot.clear();
        }
        for (List<ObjectSplit> l : finishedByCheckpoint.values()) {
            state.addAll(l);
        }
        return state;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Map<Long, List<ObjectSplit>> covered = finishedByCheckpoint.headMap(checkpointId, true);
        if (covered.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        for (List<ObjectSplit> l : covered.values()) {
            for (ObjectSplit s : l) {
                ids.add(s.splitId());
            }
        }
        covered.clear();
        context.sendSourceEventToCoordinator(new SplitsCompleted(ids));
    }

    @Override
    protected Position initializedState(ObjectSplit split) {
        return new Position(split);
    }

    @Override
    protected ObjectSplit toSplitType(String splitId, Position position) {
        return position.split.at(position.records);
    }
}
