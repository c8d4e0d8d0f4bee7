package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.Threshold;
import io.trailguard.rules.engine.Rule;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sigma correlation being compiled: its parsed section, the detection rules and correlations its references
 * resolve to ({@link DetectionRule} or {@code CorrelationRule}), then its rule.
 */
final class CorrelationRule {
    final SigmaDocument doc;
    int state; // 0 new, 1 visiting, 2 done
    /** Resolved without error or skip; {@link #section} and {@link #threshold} are set. */
    boolean ok;
    SigmaCorrelation section;
    Threshold threshold;
    final List<Object> steps = new ArrayList<>(); // DetectionRule | CorrelationRule per rules entry
    final List<Object> targets = new ArrayList<>(); // distinct, in order
    final Map<Object, String> stepKeys = new IdentityHashMap<>();
    /** Per alias name, the field it stands for in each target. */
    final Map<String, Map<Object, String>> aliases = new LinkedHashMap<>();
    /** Whether an outer correlation uses it; it then alerts on its own only when the outer one generates. */
    boolean referenced;
    boolean generateByOuter;
    String ruleName;
    Rule rule;

    CorrelationRule(SigmaDocument doc) {
        this.doc = doc;
    }

    boolean alerts() {
        return !referenced || generateByOuter;
    }
}
