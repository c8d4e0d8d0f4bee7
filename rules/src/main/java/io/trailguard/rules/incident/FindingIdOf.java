package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Alert;

import java.io.Serializable;

/**
 * The deterministic id under which an output publishes an alert as a finding (the job passes the Security Hub
 * sink's), so that an incident names its members by the ids their own findings have.
 */
@FunctionalInterface
public interface FindingIdOf extends Serializable {
    String of(Alert alert);

    /** No finding ids: members are named by rule, event id and time only. */
    static FindingIdOf none() {
        return a -> null;
    }
}
