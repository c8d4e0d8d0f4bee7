package io.trailguard.rules.sigma;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Resolves each correlation's references to the detection rules and correlations they name, resolving a
 * referenced correlation first. A correlation that references a skipped rule is skipped (a warning); one that
 * references a failed rule fails without a second error; a chain that loops back is an error.
 */
final class CorrelationResolver {
    /** A correlation that cannot run because something it references was skipped (a warning, not an error). */
    private static final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skip(String message) {
            super(message);
        }
    }

    /** A correlation that cannot run because something it references failed (already reported). */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private final SigmaReferences references;
    private final Map<SigmaDocument, DetectionRule> rules;
    private final Map<SigmaDocument, CorrelationRule> correlations;
    private final Set<String> failedRefs;
    private final SigmaDiagnostics report;

    CorrelationResolver(SigmaReferences references, Map<SigmaDocument, DetectionRule> rules,
                        Map<SigmaDocument, CorrelationRule> correlations, Set<String> failedRefs,
                        SigmaDiagnostics report) {
        this.references = references;
        this.rules = rules;
        this.correlations = correlations;
        this.failedRefs = failedRefs;
        this.report = report;
    }

    /** Resolves {@code c} once; afterwards {@code c.ok} tells whether it can be compiled. */
    void resolve(CorrelationRule c) {
        if (c.state == 2) {
            return;
        }
        if (c.state == 1) {
            throw new SigmaException(c.doc.keyPosition("correlation"), "correlation " + c.doc.label()
                    + " references itself through a chain of correlations");
        }
        c.state = 1;
        try {
            resolveSection(c);
            c.ok = true;
        } catch (SigmaException e) {
            if (c.state != 2) {
                report.error(e.position(), "Sigma correlation " + c.doc.label() + ": " + e.getMessage());
            }
        } catch (Skip e) {
            report.warn(c.doc.position, "Sigma correlation " + c.doc.label() + " skipped: " + e.getMessage());
        } catch (Failed e) {
            // reported where it failed
        } finally {
            c.state = 2;
        }
    }

    private void resolveSection(CorrelationRule c) {
        SigmaCorrelation s = c.section;
        for (SigmaReference r : s.rules) {
            c.steps.add(target(c, r));
        }
        for (SigmaUnit t : c.steps) {
            if (!c.targets.contains(t)) {
                c.targets.add(t);
            }
        }
        assignStepKeys(c);
        for (Map.Entry<String, Map<SigmaReference, String>> a : s.aliases.entrySet()) {
            Map<SigmaUnit, String> perRule = new IdentityHashMap<>();
            for (Map.Entry<SigmaReference, String> entry : a.getValue().entrySet()) {
                SigmaReference e = entry.getKey();
                SigmaDocument target = references.lookup(e.reference);
                SigmaUnit t = target == null ? null : target.kind == SigmaDocument.Kind.RULE ? rules.get(target)
                        : correlations.get(target);
                if (t == null || !c.targets.contains(t)) {
                    throw new SigmaException(SigmaYaml.pos(c.doc.file, e.node), "alias '" + a.getKey() + "': '"
                            + e.reference + "' is not one of the correlated rules");
                }
                perRule.put(t, entry.getValue());
            }
            c.aliases.put(a.getKey(), perRule);
        }
        c.threshold = s.threshold(c.targets.size(), c.steps.size());
    }

    /** What a reference names (resolving a referenced correlation first). */
    private SigmaUnit target(CorrelationRule c, SigmaReference at) {
        String ref = at.reference;
        SigmaDocument d = references.lookup(ref);
        if (d == null) {
            if (failedRefs.contains(ref)) {
                throw new Failed();
            }
            throw new SigmaException(SigmaYaml.pos(c.doc.file, at.node), references.unknownReference(ref));
        }
        if (d.kind == SigmaDocument.Kind.FILTER) {
            throw new SigmaException(SigmaYaml.pos(c.doc.file, at.node), "'" + ref + "' is a filter, not a rule");
        }
        if (d.kind == SigmaDocument.Kind.RULE) {
            DetectionRule b = rules.get(d);
            if (b.failed) {
                throw new Failed();
            }
            if (b.skipped) {
                throw new Skip("it references rule " + d.label() + ", which was skipped");
            }
            return b;
        }
        CorrelationRule inner = correlations.get(d);
        if (inner == c || inner.state == 1) {
            throw new SigmaException(SigmaYaml.pos(c.doc.file, at.node), "correlation chain loops back to "
                    + d.label());
        }
        resolve(inner);
        if (!inner.ok) {
            if (report.hasErrors()) {
                throw new Failed();
            }
            throw new Skip("it references correlation " + d.label() + ", which was skipped");
        }
        return inner;
    }

    /** Step keys: each referenced rule's name, else id, else title; unique within the correlation. */
    private static void assignStepKeys(CorrelationRule c) {
        Set<String> used = new HashSet<>();
        for (SigmaUnit t : c.targets) {
            SigmaDocument d = t.doc;
            String key = d.name != null ? d.name : d.id != null ? d.id : d.title;
            String k = key;
            for (int i = 2; !used.add(k); i++) {
                k = key + "#" + i;
            }
            c.stepKeys.put(t, k);
        }
    }
}
