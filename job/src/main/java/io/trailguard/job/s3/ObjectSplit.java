package io.trailguard.job.s3;

import org.apache.flink.api.connector.source.SourceSplit;

import java.io.Serializable;

/**
 * One CloudTrail file announced by one queue message: the unit a reader reads. The split id is the message id and
 * the object's place in the message, so a message announcing several files becomes several splits and is deleted
 * once all of them are done. {@code recordsDone} is the reader's position (records emitted), so a restored reader
 * resumes inside the file; a {@code finished} split is one whose records are all emitted and whose message is
 * waiting for the checkpoint that covers them to complete.
 */
public final class ObjectSplit implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;

    private final String messageId;
    private final int index;
    private final ObjectRef object;
    /** The event-time shard of the file's records: {@code account/region} from the key. */
    private final String shard;
    private final long recordsDone;
    private final boolean finished;

    public ObjectSplit(String messageId, int index, ObjectRef object, String shard, long recordsDone,
                       boolean finished) {
        this.messageId = messageId;
        this.index = index;
        this.object = object;
        this.shard = shard;
        this.recordsDone = recordsDone;
        this.finished = finished;
    }

    /** The split id of object {@code index} of message {@code messageId}. */
    public static String id(String messageId, int index) {
        return messageId + "#" + index;
    }

    /** The message id part of a split id. */
    public static String messageOf(String splitId) {
        return splitId.substring(0, splitId.lastIndexOf('#'));
    }

    @Override
    public String splitId() {
        return id(messageId, index);
    }

    public String messageId() {
        return messageId;
    }

    public int index() {
        return index;
    }

    public ObjectRef object() {
        return object;
    }

    public String shard() {
        return shard;
    }

    public long recordsDone() {
        return recordsDone;
    }

    public boolean finished() {
        return finished;
    }

    public ObjectSplit at(long records) {
        return new ObjectSplit(messageId, index, object, shard, records, finished);
    }

    public ObjectSplit asFinished() {
        return new ObjectSplit(messageId, index, object, shard, recordsDone, true);
    }

    @Override
    public String toString() {
        return splitId() + " " + object + " @" + recordsDone + (finished ? " finished" : "");
    }
}
