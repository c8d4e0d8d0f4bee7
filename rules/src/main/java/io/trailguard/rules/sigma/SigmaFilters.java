package io.trailguard.rules.sigma;

import io.trailguard.rules.field.FieldTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Sigma filters of one load, by the detection rules they apply to: a filter for CloudTrail applies to the
 * rules it names and, with {@code any}, to every rule whose logsource its own covers. A filter whose condition
 * fails is reported once and applies to no rule.
 */
final class SigmaFilters {
    private final FieldTable fields;
    private final SigmaDiagnostics report;
    private final Map<SigmaDocument, List<SigmaFilter>> byRule = new IdentityHashMap<>();
    private final List<SigmaFilter> any = new ArrayList<>();
    private final Set<SigmaFilter> broken = new HashSet<>();

    SigmaFilters(FieldTable fields, SigmaDiagnostics report) {
        this.fields = fields;
        this.report = report;
    }

    /** Reads the filter documents among {@code docs}; a target that names nothing is a warning. */
    void read(List<SigmaDocument> docs, SigmaReferences references, Set<String> failedRefs) {
        for (SigmaDocument d : docs) {
            if (d.kind != SigmaDocument.Kind.FILTER) {
                continue;
            }
            SigmaFilter f;
            try {
                f = SigmaFilter.read(d);
            } catch (SigmaException e) {
                report.error(e.position(), e.getMessage());
                continue;
            }
            if (!SigmaDocument.isCloudTrail(d.logsource)) {
                report.warn(d.position, "Sigma filter " + d.label() + " is for logsource "
                        + SigmaDocument.describe(d.logsource) + ", not product: aws, service: cloudtrail; ignored");
                continue;
            }
            if (f.any) {
                any.add(f);
                continue;
            }
            for (SigmaReference t : f.targets) {
                SigmaDocument target = references.lookup(t.reference);
                if (target == null) {
                    if (!failedRefs.contains(t.reference)) {
                        report.warn(SigmaYaml.pos(d.file, t.node), "Sigma filter " + d.label() + ": "
                                + references.unknownReference(t.reference) + "; this target is ignored");
                    }
                } else if (target.kind != SigmaDocument.Kind.RULE) {
                    report.warn(SigmaYaml.pos(d.file, t.node), "Sigma filter " + d.label() + ": '" + t.reference
                            + "' is a " + target.kindName() + "; filters apply to detection rules only");
                } else {
                    byRule.computeIfAbsent(target, k -> new ArrayList<>()).add(f);
                }
            }
        }
    }

    /** The filters that apply to a detection rule: the {@code any} filters first, then those naming it. */
    List<SigmaFilter> filtersFor(SigmaDocument rule) {
        List<SigmaFilter> out = new ArrayList<>();
        for (SigmaFilter f : any) {
            if (SigmaDocument.covers(f.doc.logsource, rule.logsource)) {
                out.add(f);
            }
        }
        for (SigmaFilter f : byRule.getOrDefault(rule, List.of())) {
            if (SigmaDocument.covers(f.doc.logsource, rule.logsource) && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** A filter's compiled condition, or null when it failed (reported once). */
    Detection.DNode condition(SigmaFilter f) {
        if (broken.contains(f)) {
            return null;
        }
        try {
            return f.compile(fields, report::warn);
        } catch (SigmaException e) {
            broken.add(f);
            report.error(e.position(), "Sigma filter " + f.doc.label() + ": " + e.getMessage());
            return null;
        } catch (SkipRule e) {
            broken.add(f);
            report.error(e.position(), "Sigma filter " + f.doc.label() + ": " + e.getMessage());
            return null;
        }
    }
}
