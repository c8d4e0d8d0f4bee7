package io.trailguard.job.bundle;

import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A rule bundle checked and compiled: the rule set when it is valid, otherwise the reasons it is not (a hash that
 * does not match the files, the loader's {@code file:line:col: message} errors, or no enabled rule).
 *
 * <p>A bundle with no enabled rule (a folder without rule files, a wrong path, every rule disabled) is refused
 * unless it is marked {@linkplain RuleBundle#isIntentionallyEmpty() intentionally empty}: one wrong path must not turn
 * detection off. A bundle marked so that does have enabled rules is refused too, so that the marker always means
 * "detection is off" ({@link #detectionDisabled()}).
 */
public final class CompiledBundle {
    private static final int SHARED_LOADS = 4;
    private static final int FILES_NAMED = 10;
    private static final Map<String, CompletableFuture<LoadResult>> LOADED =
            new LinkedHashMap<String, CompletableFuture<LoadResult>>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<LoadResult>> eldest) {
                    return size() > SHARED_LOADS;
                }
            };

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
            r = load(bundle, matching);
        } catch (RuntimeException e) {
            return new CompiledBundle(bundle, null, Collections.singletonList("rule loader failed: " + e),
                    Collections.emptyList());
        }
        if (r.ok() && r.ruleSet().chainDepth() > RateStages.STAGES) {
            List<String> errors = new ArrayList<>(lines(r.errors()));
            errors.add("correlations are chained " + r.ruleSet().chainDepth() + " deep; the job runs "
                    + RateStages.STAGES + " rate-rule stages");
            return new CompiledBundle(bundle, null, Collections.unmodifiableList(errors), lines(r.warnings()));
        }
        if (r.ok()) {
            String empty = emptinessError(bundle, r.ruleSet().size());
            if (empty != null) {
                return new CompiledBundle(bundle, null, Collections.singletonList(empty), lines(r.warnings()));
            }
        }
        return new CompiledBundle(bundle, r.ok() ? r.ruleSet() : null, lines(r.errors()), lines(r.warnings()));
    }

    /**
     * Why a bundle whose files load with {@code enabledRules} rules is refused for its rule count, or null: no enabled
     * rule without the intentionally-empty marker, or enabled rules with it.
     */
    public static String emptinessError(RuleBundle bundle, int enabledRules) {
        if (enabledRules == 0 && !bundle.isIntentionallyEmpty()) {
            return "bundle " + bundle.version() + " has no enabled rules: the files given were "
                    + bundle.fileNames(FILES_NAMED) + "; use publish --allow-empty to disable detection on purpose";
        }
        if (enabledRules > 0 && bundle.isIntentionallyEmpty()) {
            return "bundle " + bundle.version() + " is marked intentionally empty but has " + enabledRules
                    + " enabled rules: publish it without --allow-empty";
        }
        return null;
    }

    /**
     * The loaded rules of a bundle whose hash has been verified, shared by every caller in this JVM: the evaluator and
     * rate-rule instances of a task manager (2 + 6 at parallelism 2) compile a new bundle once instead of once each,
     * which is most of a hot reload's time. Sharing is exact: the hash covers the files, the result depends only on
     * them and the matching mode, and a loaded {@link RuleSet} is immutable (evaluation state lives in each caller's
     * {@link EvaluationContext}). The {@value #SHARED_LOADS} most recent are kept.
     */
    static LoadResult load(RuleBundle bundle, MatchingMode matching) {
        String key = matching + ":" + bundle.hash();
        CompletableFuture<LoadResult> f;
        boolean mine = false;
        synchronized (LOADED) {
            f = LOADED.get(key);
            if (f == null) {
                f = new CompletableFuture<>();
                LOADED.put(key, f);
                mine = true;
            }
        }
        if (mine) {
            try {
                f.complete(RuleLoader.load(bundle.ruleSources(), LoadOptions.defaults().matching(matching)));
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
                synchronized (LOADED) {
                    LOADED.remove(key, f);
                }
                throw e;
            }
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
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

    /** True for a valid, intentionally empty bundle: accepting it turns detection off. */
    public boolean detectionDisabled() {
        return ruleSet != null && ruleSet.size() == 0;
    }

    /** The detail of an {@code accepted}/{@code active} status of a bundle that turns detection off. */
    public static String disabledDetail(RuleBundle bundle) {
        return "DETECTION IS DISABLED: bundle " + bundle.version() + " is intentionally empty (publish --allow-empty);"
                + " no rule is evaluated until a bundle with rules is published";
    }
}
