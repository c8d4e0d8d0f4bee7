package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentSummary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The incident stage over a finished list of alerts, in plain Java (the job runs the same logic keyed and in event
 * time): the counted alerts of each principal in event-time order ({@link Evidence#ORDER}), one sequence per
 * principal at a time, every raised version of every incident in the order they were raised.
 */
public final class IncidentCorrelator {
    private final IncidentPolicy policy;
    private final EvidenceOf evidence;

    public IncidentCorrelator(IncidentPolicy policy, EvidenceOf evidence) {
        this.policy = policy;
        this.evidence = evidence;
    }

    /**
     * Every version of every incident the alerts raise. The alerts' evidence (a pure function of each alert: finding
     * id hash, tags, principal) is taken in parallel; the sequences are built on this thread in {@link Evidence#ORDER}.
     */
    public List<Alert> incidents(List<Alert> alerts) {
        List<Alert> out = new ArrayList<>();
        forEachInSequence(alerts, (s, e) -> {
            IncidentSummary raised = s.add(e, policy);
            if (raised != null) {
                out.add(IncidentAlerts.alert(s, raised));
            }
        });
        return out;
    }

    /**
     * {@link #latest}{@code (}{@link #incidents}{@code (alerts))}, without making the versions before the last: each
     * version of an incident lists every member so far, so making them all costs the square of its size. Incident
     * ids are unique across sequences (a sequence's id hashes its principal and first member, and the sequences of
     * one principal do not overlap in time).
     */
    public List<Alert> latestIncidents(List<Alert> alerts) {
        List<IncidentSequence> raised = new ArrayList<>();
        forEachInSequence(alerts, (s, e) -> {
            if (s.addCounting(e, policy) && s.version() == 1) {
                raised.add(s);
            }
        });
        List<Alert> out = new ArrayList<>(raised.size());
        for (IncidentSequence s : raised) {
            out.add(IncidentAlerts.alert(s, s.lastRaised()));
        }
        return out;
    }

    /**
     * Hands each counted evidence of the alerts, in {@link Evidence#ORDER}, to {@code step} with the sequence of its
     * principal it belongs to: the open one, or a new one when there is none or the open one ended before it.
     */
    private void forEachInSequence(List<Alert> alerts, BiConsumer<IncidentSequence, Evidence> step) {
        Map<String, IncidentSequence> open = new HashMap<>();
        for (Evidence e : counted(alerts)) {
            IncidentSequence s = open.get(e.key());
            if (s == null || s.endedBefore(e, policy)) {
                s = IncidentSequence.startedBy(e);
                open.put(e.key(), s);
            }
            step.accept(s, e);
        }
    }

    /** The counted evidence of the alerts in {@link Evidence#ORDER}, taken in parallel. */
    private List<Evidence> counted(List<Alert> alerts) {
        List<Evidence> counted = alerts.parallelStream().map(evidence::of)
                .filter(e -> e != null && policy.counts(e.rule(), e.priority(), e.tactics()))
                .collect(Collectors.toCollection(ArrayList::new));
        counted.sort(Evidence.ORDER);
        return counted;
    }

    /** The last version of each incident, in the order the incidents were first raised. */
    public static List<Alert> latest(List<Alert> versions) {
        Map<String, Alert> byId = new java.util.LinkedHashMap<>();
        for (Alert a : versions) {
            byId.put(a.incident().id(), a);
        }
        return new ArrayList<>(byId.values());
    }
}
