package io.trailguard.rules.event;

/** Receives what an input yields: CloudTrail events, and dead letters for what could not become one. */
public interface EventSink {
    void event(CloudTrailEvent e);

    void deadLetter(DeadLetter d);
}
