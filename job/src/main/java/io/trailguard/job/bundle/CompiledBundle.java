package io.trailguard.job.bundle;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.loader.Diagnostic;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A rule bundle checked and compiled: the rule set when it is valid, otherwise the reasons it is not (a hash that
 * does not match the files, or the loader's {@code file:line:col: message} errors).
 */
public final class CompiledBundle {
    private final RuleBundle bundle;
    private final RuleSet ruleSet;
    private final List<String> errors;
    private final List<String> warnings;

    private CompiledBundle(RuleBundle bundle, RuleSet ruleSet, List<String> errors, List<String> warnings) {
        this.bundle = bundle;
        this.ruleSet = ruleSet;
        this.errors = errors;
        this.warnings = warnings;
    }

    /** Verifies the hash, then loads the files with the given matching mode (no signature check). */
    public static CompiledBundle compile(RuleBundle bundle, MatchingMode matching) {
        return compile(bundle, matching, BundleVerifier.none());
    }

    /**
     * Verifies the hash, then the signature with {@code verifier} (which covers the hash, version and createdAt), then
     * loads the files with the given matching mode. Every path that takes a bundle from the control stream compiles
     * it here, so they accept and reject the same bundles.
     */
    public static CompiledBundle compile(RuleBundle bundle, MatchingMode matching, BundleVerifier verifier) {
        if (!bundle.hashMatches()) {
            return new CompiledBundle(bundle, null, Collections.singletonList("hash mismatch: the bundle claims "
                    + bundle.hash() + " but its files hash to " + RuleBundle.contentHash(bundle.files())),
                    Collections.emptyList());
        }
        String refused = (verifier == null ? BundleVerifier.none() : verifier).check(bundle);
        if (refused != null) {
            return new CompiledBundle(bundle, null, Collections.singletonList(refused), Collections.emptyList());
        }
        LoadResult r;
        try {
            r = RuleLoader.load(bundle.ruleSources(), LoadOptions.defaults().matching(matching));
        } catch (RuntimeException e) {
            return new CompiledBundle(bundle, null, Collections.singletonList("rule loader failed: " + e),
                    Collections.emptyList());
        }
        if (r.ok() && r.ruleSet().chainDepth() > io.trailguard.job.rate.RateStages.STAGES) {
            List<String> errors = new ArrayList<>(lines(r.errors()));
            errors.add("correlations are chained " + r.ruleSet().chainDepth() + " deep; the job runs "
                    + io.trailguard.job.rate.RateStages.STAGES + " rate-rule stages");
            return new CompiledBundle(bundle, null, Collections.unmodifiableList(errors), lines(r.warnings()));
        }
        return new CompiledBundle(bundle, r.ok() ? r.ruleSet() : null, lines(r.errors()), lines(r.warnings()));
    }

    private static List<String> lines(List<Diagnostic> ds) {
        List<String> out = new ArrayList<>(ds.size());
        for (Diagnostic d : ds) {
            out.add(d.toString());
        }
        return Collections.unmodifiableList(out);
    }

    public boolean ok() {
        return ruleSet != null;
    }

    public RuleBundle bundle() {
        return bundle;
    }

    /** The compiled rules, or null when not {@link #ok()}. */
    public RuleSet ruleSet() {
        return ruleSet;
    }

    public List<String> errors() {
        return errors;
    }

    public List<String> warnings() {
        return warnings;
    }

    public int ruleCount() {
        return ruleSet == null ? -1 : ruleSet.size();
    }
}
