package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateInput;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.field.FieldRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rate rules chained on other rate rules (Sigma chained correlations): which rules a firing feeds, the
 * signals it feeds them, and the longest chain.
 */
final class RuleChains {
    /** A rule chained on another: the outer rule and its input fed by the inner rule's firings. */
    private static final class Chain {
        final Rule outer;
        final AggregateInput input;

        Chain(Rule outer, AggregateInput input) {
            this.outer = outer;
            this.input = input;
        }
    }

    private final Map<String, Rule> byName;
    /** Inner rate rule name -> the inputs of the rules chained on it. */
    private final Map<String, List<Chain>> chainedOn = new HashMap<>();
    private final int depth;

    /** The chains among {@code sorted} (in load order); {@code byName} finds a rule by name. */
    RuleChains(List<Rule> sorted, Map<String, Rule> byName) {
        this.byName = byName;
        for (Rule r : sorted) {
            if (r.isRateRule()) {
                for (AggregateInput in : r.aggregate().inputs()) {
                    if (in.isChained()) {
                        chainedOn.computeIfAbsent(in.innerRule(), k -> new ArrayList<>()).add(new Chain(r, in));
                    }
                }
            }
        }
        int longest = 0;
        for (Rule r : sorted) {
            longest = Math.max(longest, depth(r, 0));
        }
        this.depth = longest;
    }

    /** Longest chain of rate rules ending at {@code r} (1 for an unchained rule); cycles are refused at load. */
    private int depth(Rule r, int guard) {
        if (!r.isRateRule() || guard > byName.size()) {
            return 0;
        }
        int d = 1;
        for (AggregateInput in : r.aggregate().inputs()) {
            Rule inner = in.isChained() ? byName.get(in.innerRule()) : null;
            if (inner != null) {
                d = Math.max(d, 1 + depth(inner, guard + 1));
            }
        }
        return d;
    }

    /**
     * The keyed stage that counts the signals of rate rule {@code r}: 1 for a rule on events only, 1 + the deepest
     * stage of the rules it is chained on otherwise. All of a rule's inputs, its event inputs included, are counted
     * in that one stage, so that a correlation over a correlation and a plain rule sees both in one window.
     */
    int stage(Rule r) {
        return Math.max(1, depth(r, 0));
    }

    /** True when some rate rule is chained on {@code r}. */
    boolean feeds(Rule r) {
        return chainedOn.containsKey(r.name());
    }

    /** The longest chain of rate rules (0: no rate rules; 1: none chained; 2: one rule chained on another...). */
    int depth() {
        return depth;
    }

    /**
     * The signals that a firing of rate rule {@code inner} (for group {@code group}) feeds to the rate rules chained
     * on it: one per chained input, at the firing's decision time ({@link Firing#windowEnd()}), carrying the last
     * counted event's id, account, region and the output values the outer rule shares with the inner one. Empty
     * when nothing is chained on {@code inner}.
     */
    List<Signal> signals(Rule inner, String[] group, Firing f) {
        List<Chain> chains = chainedOn.get(inner.name());
        if (chains == null) {
            return Collections.emptyList();
        }
        List<Signal> out = new ArrayList<>(chains.size());
        WindowEntry last = f.last();
        for (Chain c : chains) {
            AggregateInput in = c.input;
            String[] outerGroup = new String[in.innerGroupSize()];
            for (int i = 0; i < outerGroup.length; i++) {
                int j = in.innerGroupIndex(i);
                outerGroup[i] = j >= 0 && j < group.length ? group[j] : null;
            }
            String value = null;
            if (c.outer.aggregate().type().isTemporal()) {
                value = in.step();
            } else if (in.innerValueIndex() >= 0) {
                value = in.innerValueIndex() < group.length ? group[in.innerValueIndex()] : null;
                if (value == null) {
                    continue;
                }
            }
            List<FieldRef> outerFields = c.outer.signalFields();
            String[] outputs = new String[outerFields.size()];
            for (int i = 0; i < outputs.length; i++) {
                int k = inner.signalFields().indexOf(outerFields.get(i));
                outputs[i] = k < 0 ? null : last.outputValue(k, group);
            }
            out.add(new Signal(c.outer.name(), c.outer.fingerprint(), outerGroup, f.windowEnd(), last.eventId(), value,
                    outputs, last.account, last.region));
        }
        return out;
    }
}
