package io.trailguard.job.bundle;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.incident.IncidentPolicy;

import java.io.Serializable;

/**
 * The rules in force and how they change: the start-up bundle, the matching mode, the signature check and the
 * accept/reject protocol for bundles from the control stream. Every path that takes a bundle (the rule evaluator,
 * every rate-rule stage, the incident stage, the start-up scan of the control stream) decides through one instance of this class, so
 * they accept the same bundles.
 *
 * <p>The protocol: a candidate that arrives before any bundle was accepted and is older than the start-up bundle on
 * the same shard is {@link Outcome#OLDER_THAN_STARTUP skipped} (at first start the control stream replays from its
 * beginning, and the start-up bundle is already the newest valid one there); otherwise it is compiled with the
 * matching mode and checked by the {@link BundleVerifier}: a valid one becomes active ({@link Outcome#ACCEPTED}), an
 * invalid one changes nothing ({@link Outcome#REJECTED}). Bundles accepted by another instance arrive as the
 * accepted hash and JSON of the shared state ({@link #isBehind(String)}, {@link #restore(String)}).
 *
 * <p>Serializable: it travels in the job graph with the start-up bundle; each operator instance compiles its own
 * copy in {@link #start()} (the compiled rules are transient).
 */
public final class ActiveRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What became of a candidate bundle. */
    public enum Outcome { OLDER_THAN_STARTUP, REJECTED, ACCEPTED }

    /** The decision on one candidate. */
    public static final class Offer {
        private final Outcome outcome;
        private final RuleBundle candidate;
        private final CompiledBundle compiled;
        private final RuleBundle previous;

        private Offer(Outcome outcome, RuleBundle candidate, CompiledBundle compiled, RuleBundle previous) {
            this.outcome = outcome;
            this.candidate = candidate;
            this.compiled = compiled;
            this.previous = previous;
        }

        public Outcome outcome() {
            return outcome;
        }

        public RuleBundle candidate() {
            return candidate;
        }

        /** The compilation of the candidate; null when it was skipped as older than the start-up bundle. */
        public CompiledBundle compiled() {
            return compiled;
        }

        /** The bundle that was active when the candidate arrived (still active unless accepted). */
        public RuleBundle previous() {
            return previous;
        }
    }

    private final RuleBundle startupBundle;
    private final MatchingMode matching;
    private final BundleVerifier verifier;

    private transient RuleBundle bundle;
    private transient RuleSet ruleSet;
    private transient IncidentPolicy incidentPolicy;

    /** @param verifier checks the signature of every bundle from the control stream (not of the start-up bundle) */
    public ActiveRules(RuleBundle startupBundle, MatchingMode matching, BundleVerifier verifier) {
        this.startupBundle = startupBundle;
        this.matching = matching;
        this.verifier = verifier == null ? BundleVerifier.none() : verifier;
    }

    /** The same protocol, starting from {@code startup} instead. */
    public ActiveRules startingWith(RuleBundle startup) {
        return new ActiveRules(startup, matching, verifier);
    }

    /** Compiles the start-up bundle and makes it active; it must be valid. */
    public void start() {
        CompiledBundle c = CompiledBundle.compile(startupBundle, matching);
        if (!c.ok()) {
            throw new IllegalStateException("the start-up rule bundle " + startupBundle.version() + " is invalid: "
                    + String.join("; ", c.errors()));
        }
        activate(startupBundle, c);
    }

    public RuleBundle startupBundle() {
        return startupBundle;
    }

    public MatchingMode matching() {
        return matching;
    }

    public BundleVerifier verifier() {
        return verifier;
    }

    /** The active bundle (after {@link #start()}). */
    public RuleBundle bundle() {
        return bundle;
    }

    /** The active bundle's compiled rules (after {@link #start()}). */
    public RuleSet ruleSet() {
        return ruleSet;
    }

    /** The active bundle's incident policy (after {@link #start()}). */
    public IncidentPolicy incidentPolicy() {
        return incidentPolicy;
    }

    /** The acceptance check of a control-stream bundle: compiles under the matching mode and passes the verifier. */
    public CompiledBundle check(RuleBundle candidate) {
        return CompiledBundle.compile(candidate, matching, verifier);
    }

    /**
     * Decides on a bundle from the control stream and, when it is accepted, makes it active.
     *
     * @param anyAccepted whether a bundle from the control stream was accepted before (the shared state has one)
     */
    public Offer offer(RuleBundle candidate, boolean anyAccepted) {
        RuleBundle previous = bundle;
        if (!anyAccepted && StreamPosition.isBefore(candidate.origin(), startupBundle.origin())) {
            return new Offer(Outcome.OLDER_THAN_STARTUP, candidate, null, previous);
        }
        CompiledBundle c = check(candidate);
        if (!c.ok()) {
            return new Offer(Outcome.REJECTED, candidate, c, previous);
        }
        activate(candidate, c);
        return new Offer(Outcome.ACCEPTED, candidate, c, previous);
    }

    /** True when the shared state holds an accepted bundle ({@code acceptedHash}) other than the active one. */
    public boolean isBehind(String acceptedHash) {
        return acceptedHash != null && !acceptedHash.equals(bundle.hash());
    }

    /**
     * Makes the accepted bundle of the shared state active (after a restore, or when another instance accepted it).
     * It was accepted once, so it fails only if the engine changed incompatibly between versions of the job.
     */
    public RuleBundle restore(String acceptedBundleJson) {
        RuleBundle b = RuleBundle.fromStateJson(acceptedBundleJson);
        CompiledBundle c = CompiledBundle.compile(b, matching);
        if (!c.ok()) {
            throw new IllegalStateException("the rule bundle " + b.version() + " in state no longer compiles: "
                    + String.join("; ", c.errors()));
        }
        activate(b, c);
        return b;
    }

    private void activate(RuleBundle b, CompiledBundle compiled) {
        bundle = b;
        ruleSet = compiled.ruleSet();
        incidentPolicy = compiled.incidentPolicy();
    }
}
