package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Rule;

import java.util.ArrayList;
import java.util.List;

/** A Sigma detection rule being compiled: its condition with errata and filters applied, then its rule. */
final class DetectionRule {
    final SigmaDocument doc;
    Detection.DNode node;
    boolean skipped;
    boolean failed;
    /** Ids of the errata applied. */
    final List<String> errata = new ArrayList<>();
    /** Whether a correlation uses it; such a rule alerts on its own only with {@code generate}. */
    boolean referenced;
    boolean generate;
    String ruleName;
    Rule rule;

    DetectionRule(SigmaDocument doc) {
        this.doc = doc;
    }

    boolean alerts() {
        return !referenced || generate;
    }
}
