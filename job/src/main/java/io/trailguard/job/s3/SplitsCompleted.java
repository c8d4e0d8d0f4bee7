package io.trailguard.job.s3;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Reader to enumerator: these splits are read and a checkpoint that covers all their records has completed, so
 * their messages may be deleted.
 */
public final class SplitsCompleted implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> splitIds;

    public SplitsCompleted(List<String> splitIds) {
        this.splitIds = new ArrayList<>(splitIds);
    }

    public List<String> splitIds() {
        return splitIds;
    }

    @Override
    public String toString() {
        return "SplitsCompleted" + splitIds;
    }
}
