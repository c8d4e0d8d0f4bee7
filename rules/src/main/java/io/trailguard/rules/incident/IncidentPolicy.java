package io.trailguard.rules.incident;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.engine.Priority;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How alerts become incidents, read from Falco lists of the rule files (the bundled packs define them in
 * {@code common.yaml}; a user's rules file overrides one with {@code override: items: replace}). Every list is
 * optional; an absent one keeps its default:
 * <ul>
 *   <li>{@code incident_inactivity_gap} [{@value #DEFAULT_GAP}]: a principal's sequence ends when it raises no
 *       counted alert for this long (timespan grammar of {@code aggregate:}: 90s, 30m, 2h, 1d);</li>
 *   <li>{@code incident_min_rules} [{@value #DEFAULT_MIN_RULES}], {@code incident_min_tactics}
 *       [{@value #DEFAULT_MIN_TACTICS}], {@code incident_min_score} [{@value #DEFAULT_MIN_SCORE}]: a sequence is
 *       raised as an incident once its members come from at least that many distinct rules, name that many
 *       distinct ATT&CK tactics and reach that score ({@link IncidentScore});</li>
 *   <li>{@code incident_min_priority} [{@value #DEFAULT_MIN_PRIORITY}]: alerts below it do not count (the
 *       INFORMATIONAL change digests);</li>
 *   <li>{@code incident_excluded_rules} [none]: rule names that never count.</li>
 * </ul>
 * Only alerts of rules with at least one ATT&CK tactic tag count ({@link AttackTags}).
 */
public final class IncidentPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String GAP = "incident_inactivity_gap";
    public static final String MIN_RULES = "incident_min_rules";
    public static final String MIN_TACTICS = "incident_min_tactics";
    public static final String MIN_SCORE = "incident_min_score";
    public static final String MIN_PRIORITY = "incident_min_priority";
    public static final String EXCLUDED_RULES = "incident_excluded_rules";
    /** Every list the policy reads. */
    public static final List<String> LISTS = List.of(GAP, MIN_RULES, MIN_TACTICS, MIN_SCORE, MIN_PRIORITY,
            EXCLUDED_RULES);

    static final String DEFAULT_GAP = "30m";
    static final int DEFAULT_MIN_RULES = 3;
    static final int DEFAULT_MIN_TACTICS = 3;
    static final int DEFAULT_MIN_SCORE = 10;
    static final String DEFAULT_MIN_PRIORITY = "notice";

    /** The rule name of incident alerts. */
    public static final String RULE = "Attack Sequence by One Principal";

    private final long gapMillis;
    private final int minRules;
    private final int minTactics;
    private final int minScore;
    private final Priority minPriority;
    private final Set<String> excludedRules;

    public IncidentPolicy(long gapMillis, int minRules, int minTactics, int minScore, Priority minPriority,
                          Set<String> excludedRules) {
        if (gapMillis <= 0) {
            throw new IllegalArgumentException("the inactivity gap must be positive");
        }
        this.gapMillis = gapMillis;
        this.minRules = minRules;
        this.minTactics = minTactics;
        this.minScore = minScore;
        this.minPriority = minPriority;
        this.excludedRules = Set.copyOf(excludedRules);
    }

    /** The defaults (what a rule set without incident lists gets). */
    public static IncidentPolicy defaults() {
        return fromLists(Map.of());
    }

    /**
     * The policy the lists define; throws IllegalArgumentException naming the list when one holds something else
     * than one value of its kind.
     */
    public static IncidentPolicy fromLists(Map<String, List<String>> lists) {
        String gapText = single(lists, GAP, DEFAULT_GAP);
        long gap = AggregateSpec.parseTimespan(gapText);
        if (gap <= 0) {
            throw new IllegalArgumentException("list '" + GAP + "': '" + gapText + "' is no timespan (a positive "
                    + "number followed by s, m, h or d, e.g. 30m)");
        }
        String priorityText = single(lists, MIN_PRIORITY, DEFAULT_MIN_PRIORITY);
        Priority p = Priority.parse(priorityText);
        if (p == null) {
            throw new IllegalArgumentException("list '" + MIN_PRIORITY + "': '" + priorityText + "' is no priority "
                    + "(emergency, alert, critical, error, warning, notice, informational, debug)");
        }
        List<String> excluded = lists.get(EXCLUDED_RULES);
        return new IncidentPolicy(gap, count(lists, MIN_RULES, DEFAULT_MIN_RULES),
                count(lists, MIN_TACTICS, DEFAULT_MIN_TACTICS), count(lists, MIN_SCORE, DEFAULT_MIN_SCORE), p,
                excluded == null ? Set.of() : new LinkedHashSet<>(excluded));
    }

    private static String single(Map<String, List<String>> lists, String name, String dflt) {
        List<String> items = lists.get(name);
        if (items == null) {
            return dflt;
        }
        if (items.size() != 1) {
            throw new IllegalArgumentException("list '" + name + "' must hold exactly one value, not "
                    + items.size());
        }
        return items.get(0).trim();
    }

    private static int count(Map<String, List<String>> lists, String name, int dflt) {
        String text = single(lists, name, Integer.toString(dflt));
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("list '" + name + "': '" + text + "' is no whole number of at least 1");
    }

    /** True when alerts of {@code rule} at {@code priority} with {@code tactics} count towards incidents. */
    public boolean counts(String rule, Priority priority, List<String> tactics) {
        return !RULE.equals(rule) && !excludedRules.contains(rule) && priority != null
                && priority.atLeast(minPriority) && !tactics.isEmpty();
    }

    public long gapMillis() {
        return gapMillis;
    }

    public int minRules() {
        return minRules;
    }

    public int minTactics() {
        return minTactics;
    }

    public int minScore() {
        return minScore;
    }

    public Priority minPriority() {
        return minPriority;
    }

    public Set<String> excludedRules() {
        return excludedRules;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IncidentPolicy)) {
            return false;
        }
        IncidentPolicy p = (IncidentPolicy) o;
        return gapMillis == p.gapMillis && minRules == p.minRules && minTactics == p.minTactics
                && minScore == p.minScore && minPriority == p.minPriority && excludedRules.equals(p.excludedRules);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(gapMillis, minRules, minTactics, minScore, minPriority, excludedRules);
    }
}
