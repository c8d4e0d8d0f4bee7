package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.Threshold;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Sigma correlation being compiled: its parsed section and what its references resolve to. */
final class CorrelationRule extends SigmaUnit {
    int state; // 0 new, 1 visiting, 2 done
    /** Resolved without error or skip; {@link #threshold} is set. */
    boolean ok;
    /** The correlation section, parsed with its document. */
    final SigmaCorrelation section;
    Threshold threshold;
    /** What each {@code rules} entry names, in order. */
    final List<SigmaUnit> steps = new ArrayList<>();
    /** The distinct steps, in order. */
    final List<SigmaUnit> targets = new ArrayList<>();
    final Map<SigmaUnit, String> stepKeys = new IdentityHashMap<>();
    /** Per alias name, the field it stands for in each target. */
    final Map<String, Map<SigmaUnit, String>> aliases = new LinkedHashMap<>();

    CorrelationRule(SigmaDocument doc) {
        super(doc);
        this.section = doc.correlation;
    }
}
