package io.trailguard.rules.incident;

import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;

import io.trailguard.rules.text.PartsDigest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One principal's open sequence of counted alerts: its members in event-time order ({@link Evidence#ORDER}),
 * whether it has been raised as an incident and how often it was updated. The state the incident stage keeps per
 * principal; it ends when the principal is quiet for the policy's inactivity gap.
 *
 * <p>The id is fixed when the sequence starts: a hash of the principal and the first member, so the same input
 * gives the same incident id, and every update of an incident keeps it.
 */
public final class IncidentSequence {
    /** Members kept per sequence; later alerts still extend it ({@link #lastMillis()}) but are not listed. */
    public static final int MAX_MEMBERS = 500;

    private final String key;
    private final String id;
    private final List<Evidence> members;
    private int version;
    private long lastMillis;
    private int unlisted;
    /** The last alert time when {@link #addCounting} last raised a version. */
    private long raisedLastMillis;
    /**
     * Derived from {@link #members} (not state; null until first needed, and again after a member is inserted
     * before the last): their score, their listing and their distinct source addresses, extended as members are
     * appended in event-time order, the order the incident stage counts them in.
     */
    private IncidentScore.Tally tally;
    private List<IncidentMember> listed;
    private List<String> addresses;
    private Set<String> addressSet;

    /** A sequence as restored from state. */
    public IncidentSequence(String key, String id, List<Evidence> members, int version, long lastMillis,
                            int unlisted) {
        this.key = key;
        this.id = id;
        this.members = new ArrayList<>(members);
        this.version = version;
        this.lastMillis = lastMillis;
        this.unlisted = unlisted;
    }

    /**
     * A new, empty sequence that {@code first} starts (its id and key come from it): {@link #add} it next, so that
     * the first member is evaluated like every other.
     */
    public static IncidentSequence startedBy(Evidence first) {
        return new IncidentSequence(first.key(), idOf(first), List.of(), 0, first.timeMillis(), 0);
    }

    /** True when {@code e}, at its time, comes after this sequence ended (more than the gap after its last alert). */
    public boolean endedBefore(Evidence e, IncidentPolicy p) {
        return e.timeMillis() - lastMillis > p.gapMillis();
    }

    /** The event time at which this sequence ends unless another alert comes. */
    public long endMillis(IncidentPolicy p) {
        return lastMillis + p.gapMillis();
    }

    /**
     * Adds a member; returns the incident to emit (the first version when the evidence first crosses the policy's
     * thresholds, a new version for every member after that), or null. A repeat of a member changes nothing.
     */
    public IncidentSummary add(Evidence e, IncidentPolicy p) {
        return addCounting(e, p) ? lastRaised() : null;
    }

    /**
     * {@link #add} without making the incident it raises: true when it raised a version, which
     * {@link #lastRaised()} then returns as {@link #add} does. For a caller that wants only the last version of
     * each incident.
     */
    public boolean addCounting(Evidence e, IncidentPolicy p) {
        if (!insert(e)) {
            return false;
        }
        if (version == 0 && !tally().score().crosses(p)) {
            return false;
        }
        version++;
        raisedLastMillis = lastMillis;
        return true;
    }

    /**
     * The version last raised by {@link #addCounting}, or null. Exact: once raised, every member inserted raises a
     * version, so the members are those of that version; only the last alert time moves after it (a repeat changes
     * nothing, and a member beyond {@link #MAX_MEMBERS} is not inserted), which is why that time is kept.
     */
    public IncidentSummary lastRaised() {
        return version == 0 ? null : summary(raisedLastMillis);
    }

    /** Takes in a member: false for a repeat and for a member beyond {@link #MAX_MEMBERS} (which is counted). */
    private boolean insert(Evidence e) {
        for (Evidence m : members) {
            if (m.sameAlert(e)) {
                return false;
            }
        }
        lastMillis = Math.max(lastMillis, e.timeMillis());
        if (members.size() >= MAX_MEMBERS) {
            unlisted++;
            return false;
        }
        int at = Collections.binarySearch(members, e, Evidence.ORDER);
        at = at < 0 ? -at - 1 : at;
        members.add(at, e);
        if (at == members.size() - 1 && tally != null) {
            tallyAppended(e);
        } else {
            tally = null;
        }
        return true;
    }

    /** The derived state of the members, rebuilt when it is not up to date. */
    private IncidentScore.Tally tally() {
        if (tally == null) {
            tally = new IncidentScore.Tally();
            listed = new ArrayList<>(members.size());
            addresses = new ArrayList<>();
            addressSet = new HashSet<>();
            for (Evidence m : members) {
                tallyAppended(m);
            }
        }
        return tally;
    }

    private void tallyAppended(Evidence m) {
        tally.add(m);
        listed.add(m.member());
        String address = m.actor().sourceAddress();
        if (address != null && addressSet.add(address)) {
            addresses.add(address);
        }
    }

    /** The incident as it stands (for an incident already raised), without counting a new version. */
    public IncidentSummary current() {
        return version == 0 ? null : summary(lastMillis);
    }

    private IncidentSummary summary(long lastMillis) {
        IncidentScore s = tally().score();
        return new IncidentSummary(id, version, key, addresses, members.get(0).timeMillis(), lastMillis, s.score(),
                s.tactics(), s.techniques(), listed);
    }

    /** The score of the members so far. */
    public IncidentScore score() {
        return tally().score();
    }

    public String key() {
        return key;
    }

    public String id() {
        return id;
    }

    public List<Evidence> members() {
        return Collections.unmodifiableList(members);
    }

    /** 0 until raised; then the number of the last version emitted. */
    public int version() {
        return version;
    }

    public boolean raised() {
        return version > 0;
    }

    public long lastMillis() {
        return lastMillis;
    }

    /** Members beyond {@link #MAX_MEMBERS}, counted but not listed. */
    public int unlisted() {
        return unlisted;
    }

    static String idOf(Evidence first) {
        return PartsDigest.hex("", Arrays.asList("trailguard-incident-v1", first.key(),
                Long.toString(first.timeMillis()), first.rule(), String.valueOf(first.eventId())));
    }
}
