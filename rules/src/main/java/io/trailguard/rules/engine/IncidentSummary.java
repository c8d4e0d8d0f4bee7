package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What an incident alert reports: one principal's alerts correlated into one attack sequence. {@link #id()} is
 * the same for every version of the incident (it is the id outputs update in place); {@link #version()} counts
 * its updates from 1. Tactics and techniques are ATT&CK ids in the order they were first seen; members are in
 * event-time order.
 */
public final class IncidentSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final int version;
    private final String principal;
    private final List<String> sourceAddresses;
    private final long firstMillis;
    private final long lastMillis;
    private final int score;
    private final List<String> tactics;
    private final List<String> techniques;
    private final List<IncidentMember> members;

    /**
     * @param principal       the grouping key as text: a principal ARN, or {@code accessKey:ID} / {@code name:NAME}
     *                        when the alerts carry no ARN
     * @param sourceAddresses the distinct source addresses of the members, in first-seen order
     */
    public IncidentSummary(String id, int version, String principal, List<String> sourceAddresses, long firstMillis,
                           long lastMillis, int score, List<String> tactics, List<String> techniques,
                           List<IncidentMember> members) {
        this.id = Objects.requireNonNull(id, "id");
        this.version = version;
        this.principal = principal;
        this.sourceAddresses = List.copyOf(sourceAddresses);
        this.firstMillis = firstMillis;
        this.lastMillis = lastMillis;
        this.score = score;
        this.tactics = List.copyOf(tactics);
        this.techniques = List.copyOf(techniques);
        this.members = List.copyOf(members);
    }

    public String id() {
        return id;
    }

    public int version() {
        return version;
    }

    public String principal() {
        return principal;
    }

    public List<String> sourceAddresses() {
        return sourceAddresses;
    }

    public long firstMillis() {
        return firstMillis;
    }

    public long lastMillis() {
        return lastMillis;
    }

    public int score() {
        return score;
    }

    public List<String> tactics() {
        return tactics;
    }

    public List<String> techniques() {
        return techniques;
    }

    public List<IncidentMember> members() {
        return members;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IncidentSummary)) {
            return false;
        }
        IncidentSummary s = (IncidentSummary) o;
        return version == s.version && firstMillis == s.firstMillis && lastMillis == s.lastMillis
                && score == s.score && id.equals(s.id) && Objects.equals(principal, s.principal)
                && sourceAddresses.equals(s.sourceAddresses) && tactics.equals(s.tactics)
                && techniques.equals(s.techniques) && members.equals(s.members);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version);
    }
}
