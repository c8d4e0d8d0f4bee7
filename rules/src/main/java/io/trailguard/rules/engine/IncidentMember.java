package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * One alert of an incident, as the incident lists it: the rule, its priority, the event it is about (id and time)
 * and the deterministic id under which the alert itself is a finding (the Security Hub finding id), so that outputs
 * can relate the incident to its members.
 */
public final class IncidentMember implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String priority;
    private final String eventId;
    private final long timeMillis;
    private final String findingId;

    public IncidentMember(String rule, String priority, String eventId, long timeMillis, String findingId) {
        this.rule = rule;
        this.priority = priority;
        this.eventId = eventId;
        this.timeMillis = timeMillis;
        this.findingId = findingId;
    }

    public String rule() {
        return rule;
    }

    /** As Falco prints it ({@code Critical}). */
    public String priority() {
        return priority;
    }

    /** The CloudTrail event id (a rate alert's: its last counted event); may be null. */
    public String eventId() {
        return eventId;
    }

    public long timeMillis() {
        return timeMillis;
    }

    public String time() {
        return RuleSet.isoTime(timeMillis);
    }

    /** The member alert's own finding id; may be null when no id function was given. */
    public String findingId() {
        return findingId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IncidentMember)) {
            return false;
        }
        IncidentMember m = (IncidentMember) o;
        return timeMillis == m.timeMillis && Objects.equals(rule, m.rule) && Objects.equals(priority, m.priority)
                && Objects.equals(eventId, m.eventId) && Objects.equals(findingId, m.findingId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, eventId, timeMillis);
    }

    @Override
    public String toString() {
        return time() + " " + rule + " " + eventId;
    }
}
