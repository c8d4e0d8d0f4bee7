package io.trailguard.job.operators;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.RuleBundle;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * How every stage keeps its {@link ActiveRules} and the broadcast state ({@link Descriptors#RULES}) in step: the
 * state holds the accepted bundle (it is what a checkpoint restores), each instance compiles its own copy.
 */
final class BroadcastRules {
    private BroadcastRules() {
    }

    /**
     * Makes the state's accepted bundle active when it is not the active one (after a restore, or when another
     * instance accepted it first).
     *
     * @return the bundle now active, or null when the active one already was the state's
     */
    static RuleBundle follow(ActiveRules rules, ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (!rules.isBehind(state.get(Descriptors.ACTIVE_HASH))) {
            return null;
        }
        return rules.restore(state.get(Descriptors.ACTIVE_BUNDLE));
    }

    /** Decides on a bundle from the control stream; an accepted one becomes the state's accepted bundle. */
    static ActiveRules.Offer offer(ActiveRules rules, RuleBundle bundle, BroadcastState<String, String> state)
            throws Exception {
        ActiveRules.Offer offer = rules.offer(bundle, state.get(Descriptors.ACTIVE_HASH) != null);
        if (offer.outcome() == ActiveRules.Outcome.ACCEPTED) {
            state.put(Descriptors.ACTIVE_BUNDLE, bundle.toStateJson());
            state.put(Descriptors.ACTIVE_HASH, bundle.hash());
        }
        return offer;
    }
}
