package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Priority;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evidence of a sequence of alerts: how far along the kill chain it got and how severe each step was.
 * <pre>
 * score = Σ over distinct tactics of the weight of the most severe member naming it
 *       + the number of distinct techniques
 * weight: EMERGENCY, ALERT, CRITICAL 4 · ERROR 3 · WARNING 2 · NOTICE 1 · below 0
 * </pre>
 * So breadth across tactics counts most, a tactic reached by a CRITICAL alert (logging stopped) counts four times
 * one reached by a NOTICE, and many techniques add up; repeats of the same rule add nothing. Tactics and
 * techniques are listed in the order the members (in event-time order) first name them.
 */
public final class IncidentScore {
    private final int score;
    private final int rules;
    private final List<String> tactics;
    private final List<String> techniques;
    private final Priority highest;

    private IncidentScore(int score, int rules, List<String> tactics, List<String> techniques, Priority highest) {
        this.score = score;
        this.rules = rules;
        this.tactics = tactics;
        this.techniques = techniques;
        this.highest = highest;
    }

    /** The score of members in event-time order. */
    public static IncidentScore of(List<Evidence> members) {
        Map<String, Integer> tacticWeight = new LinkedHashMap<>();
        Set<String> techniques = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        Priority highest = null;
        for (Evidence e : members) {
            rules.add(e.rule());
            int w = weight(e.priority());
            for (String t : e.tactics()) {
                tacticWeight.merge(t, w, Math::max);
            }
            techniques.addAll(e.techniques());
            if (highest == null || e.priority().atLeast(highest)) {
                highest = e.priority();
            }
        }
        int score = techniques.size();
        for (int w : tacticWeight.values()) {
            score += w;
        }
        return new IncidentScore(score, rules.size(), new ArrayList<>(tacticWeight.keySet()),
                new ArrayList<>(techniques), highest);
    }

    /**
     * The score of members appended one at a time in event-time order: after each {@link #add}, {@link #score()}
     * equals {@link #of} of the members added so far, without going over them again (a sequence of many members
     * asks for its score once per member). Not thread-safe.
     */
    static final class Tally {
        private final Map<String, Integer> tacticWeight = new LinkedHashMap<>();
        private final Set<String> techniques = new LinkedHashSet<>();
        private final Set<String> rules = new HashSet<>();
        private int weights;
        private Priority highest;
        /** {@link #score()} until the next {@link #add}. */
        private IncidentScore score;

        /** Adds {@code e}, which comes at or after every member added before it in event-time order. */
        void add(Evidence e) {
            rules.add(e.rule());
            int w = weight(e.priority());
            for (String t : e.tactics()) {
                Integer before = tacticWeight.get(t);
                if (before == null) {
                    tacticWeight.put(t, w);
                    weights += w;
                } else if (w > before) {
                    tacticWeight.put(t, w); // an existing key keeps its place in the order
                    weights += w - before;
                }
            }
            techniques.addAll(e.techniques());
            if (highest == null || e.priority().atLeast(highest)) {
                highest = e.priority();
            }
            score = null;
        }

        IncidentScore score() {
            if (score == null) {
                score = new IncidentScore(weights + techniques.size(), rules.size(),
                        new ArrayList<>(tacticWeight.keySet()), new ArrayList<>(techniques), highest);
            }
            return score;
        }
    }

    static int weight(Priority p) {
        switch (p) {
            case EMERGENCY:
            case ALERT:
            case CRITICAL:
                return 4;
            case ERROR:
                return 3;
            case WARNING:
                return 2;
            case NOTICE:
                return 1;
            default:
                return 0;
        }
    }

    /** True when this evidence is enough for an incident under {@code p}. */
    public boolean crosses(IncidentPolicy p) {
        return rules >= p.minRules() && tactics.size() >= p.minTactics() && score >= p.minScore();
    }

    /**
     * The incident's priority: CRITICAL when a member is CRITICAL or above or the sequence spans five tactics or
     * more, ERROR (HIGH in Security Hub) otherwise.
     */
    public Priority incidentPriority() {
        return (highest != null && highest.atLeast(Priority.CRITICAL)) || tactics.size() >= 5
                ? Priority.CRITICAL : Priority.ERROR;
    }

    public int score() {
        return score;
    }

    public int rules() {
        return rules;
    }

    public List<String> tactics() {
        return tactics;
    }

    public List<String> techniques() {
        return techniques;
    }
}
