package io.trailguard.job.operators;

import io.trailguard.rules.incident.Evidence;
import org.apache.flink.api.java.functions.KeySelector;

/** Incident key: the acting principal ({@link io.trailguard.rules.incident.Actor#key()}). */
public final class EvidenceKey implements KeySelector<Evidence, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Evidence e) {
        return e.key();
    }
}
