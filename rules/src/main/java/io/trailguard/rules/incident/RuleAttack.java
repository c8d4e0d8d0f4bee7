package io.trailguard.rules.incident;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ATT&CK tactics and techniques one rule's tags name ({@link AttackTags#tactics}, {@link AttackTags#techniques}),
 * read once per distinct tag list and kept: every alert of a rule carries the same tags, and reading them (lowercase
 * copies, three regexes per tag) cost more than the rest of an alert's evidence. Thread-safe; the lists are
 * immutable. The cache holds at most {@link #MAX_KEPT} tag lists and starts over when full (rule sets change with
 * bundles; a larger set only reads its tags more often).
 */
public final class RuleAttack {
    static final int MAX_KEPT = 16_384;
    private static final ConcurrentHashMap<List<String>, RuleAttack> KEPT = new ConcurrentHashMap<>();

    private final List<String> tactics;
    private final List<String> techniques;

    private RuleAttack(List<String> tags) {
        this.tactics = List.copyOf(AttackTags.tactics(tags));
        this.techniques = List.copyOf(AttackTags.techniques(tags));
    }

    /** The tactics and techniques of {@code tags}. */
    public static RuleAttack of(List<String> tags) {
        RuleAttack a = KEPT.get(tags);
        if (a != null) {
            return a;
        }
        List<String> key = List.copyOf(tags);
        a = new RuleAttack(key);
        if (KEPT.size() >= MAX_KEPT) {
            KEPT.clear();
        }
        KEPT.putIfAbsent(key, a);
        return a;
    }

    /** {@link AttackTags#tactics} of the tags. */
    public List<String> tactics() {
        return tactics;
    }

    /** {@link AttackTags#techniques} of the tags. */
    public List<String> techniques() {
        return techniques;
    }
}
