package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Rule;

/** A Sigma document being compiled into a rule: a {@link DetectionRule} or a {@link CorrelationRule}. */
abstract class SigmaUnit {
    final SigmaDocument doc;
    /** Whether a correlation uses it; it then alerts on its own only when such a correlation generates. */
    boolean referenced;
    /** Whether a correlation that uses it has {@code generate: true}. */
    boolean generated;
    String ruleName;
    Rule rule;

    SigmaUnit(SigmaDocument doc) {
        this.doc = doc;
    }

    /** Whether its rule alerts, rather than only feeding correlations. */
    boolean alerts() {
        return !referenced || generated;
    }
}
