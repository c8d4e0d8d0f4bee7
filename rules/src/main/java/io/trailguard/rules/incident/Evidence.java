package io.trailguard.rules.incident;

import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.Priority;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An alert as the incident stage counts it: rule, priority, the event it is about, its finding id, who acted
 * from where, and the ATT&CK tactics and techniques of its rule. Immutable.
 */
public final class Evidence implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Event time, then rule, then event id: the order of an incident's members, whatever the arrival order. */
    public static final Comparator<Evidence> ORDER = Comparator.comparingLong(Evidence::timeMillis)
            .thenComparing(Evidence::rule).thenComparing(e -> e.eventId == null ? "" : e.eventId);

    private final String rule;
    private final Priority priority;
    private final String eventId;
    private final long timeMillis;
    private final String findingId;
    private final Actor actor;
    private final String account;
    private final String region;
    private final List<String> tactics;
    private final List<String> techniques;

    public Evidence(String rule, Priority priority, String eventId, long timeMillis, String findingId, Actor actor,
                    String account, String region, List<String> tactics, List<String> techniques) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.priority = Objects.requireNonNull(priority, "priority");
        this.eventId = eventId;
        this.timeMillis = timeMillis;
        this.findingId = findingId;
        this.actor = Objects.requireNonNull(actor, "actor");
        this.account = account;
        this.region = region;
        this.tactics = List.copyOf(tactics);
        this.techniques = List.copyOf(techniques);
    }

    public String rule() {
        return rule;
    }

    public Priority priority() {
        return priority;
    }

    public String eventId() {
        return eventId;
    }

    public long timeMillis() {
        return timeMillis;
    }

    public String findingId() {
        return findingId;
    }

    public Actor actor() {
        return actor;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    public List<String> tactics() {
        return tactics;
    }

    public List<String> techniques() {
        return techniques;
    }

    /** The grouping key ({@link Actor#key()}). */
    public String key() {
        return actor.key();
    }

    IncidentMember member() {
        return new IncidentMember(rule, priority.display(), eventId, timeMillis, findingId);
    }

    /** Same alert: same rule, event and time (a repeat delivery). */
    boolean sameAlert(Evidence o) {
        return timeMillis == o.timeMillis && rule.equals(o.rule) && Objects.equals(eventId, o.eventId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Evidence)) {
            return false;
        }
        Evidence e = (Evidence) o;
        return timeMillis == e.timeMillis && rule.equals(e.rule) && priority == e.priority
                && Objects.equals(eventId, e.eventId) && Objects.equals(findingId, e.findingId)
                && actor.equals(e.actor) && Objects.equals(account, e.account) && Objects.equals(region, e.region)
                && tactics.equals(e.tactics) && techniques.equals(e.techniques);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, eventId, timeMillis);
    }

    @Override
    public String toString() {
        return member() + " by " + actor;
    }
}
