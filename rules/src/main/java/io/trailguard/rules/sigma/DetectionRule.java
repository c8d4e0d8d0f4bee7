package io.trailguard.rules.sigma;

import java.util.ArrayList;
import java.util.List;

/** A Sigma detection rule being compiled: its condition with errata and filters applied. */
final class DetectionRule extends SigmaUnit {
    Detection.DNode node;
    boolean skipped;
    boolean failed;
    /** Ids of the errata applied. */
    final List<String> errata = new ArrayList<>();

    DetectionRule(SigmaDocument doc) {
        super(doc);
    }
}
