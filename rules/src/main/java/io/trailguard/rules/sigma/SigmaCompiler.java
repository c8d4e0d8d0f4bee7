package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.output.OutputFormat;
import io.trailguard.rules.source.Diagnostic;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Compiles the Sigma documents of one load (see {@link SigmaLoader#compile}): detection rules with their errata
 * and {@link SigmaFilters}, then correlations, resolved by {@link CorrelationResolver} and compiled by
 * {@link CorrelationCompiler}. A rule that only feeds correlations is kept while a kept correlation needs it.
 */
final class SigmaCompiler {
    private final List<SigmaDocument> docs;
    private final Set<String> failedRefs;
    private final FieldTable fields;
    private final Errata errata;
    private final SigmaDiagnostics report;
    private final SigmaFilters filters;
    private final Map<SigmaDocument, DetectionRule> bases = new LinkedHashMap<>();
    private final Map<SigmaDocument, CorrelationRule> corrs = new LinkedHashMap<>();

    SigmaCompiler(List<SigmaDocument> docs, Set<String> failedRefs, FieldTable fields, Errata errata,
                  List<Diagnostic> diagnostics) {
        this.docs = docs;
        this.failedRefs = failedRefs;
        this.fields = fields;
        this.errata = errata;
        this.report = new SigmaDiagnostics(diagnostics);
        this.filters = new SigmaFilters(fields, report);
    }

    List<Rule> compile(Predicate<Rule> selected, Set<String> takenNames) {
        SigmaReferences references = new SigmaReferences(docs, report);
        filters.read(docs, references, failedRefs);
        for (SigmaDocument d : docs) {
            if (d.kind == SigmaDocument.Kind.RULE) {
                DetectionRule b = new DetectionRule(d);
                bases.put(d, b);
                compileBase(b);
            } else if (d.kind == SigmaDocument.Kind.CORRELATION) {
                corrs.put(d, new CorrelationRule(d));
            }
        }
        CorrelationResolver resolver = new CorrelationResolver(references, bases, corrs, failedRefs, report);
        for (CorrelationRule c : corrs.values()) {
            resolver.resolve(c);
        }
        for (CorrelationRule c : corrs.values()) {
            if (!c.ok) {
                continue;
            }
            for (SigmaUnit t : c.targets) {
                t.referenced = true;
                t.generated |= c.section.generate;
            }
        }
        if (report.hasErrors()) {
            return List.of();
        }
        Set<String> taken = new HashSet<>(takenNames);
        for (SigmaDocument d : docs) {
            DetectionRule b = bases.get(d);
            if (b != null && b.node != null && b.alerts()) {
                b.ruleName = uniqueName(d, taken);
            }
            CorrelationRule c = corrs.get(d);
            if (c != null && c.ok) {
                c.ruleName = uniqueName(d, taken);
            }
        }
        List<Rule> out = new ArrayList<>();
        CorrelationCompiler correlations = new CorrelationCompiler(fields, filters);
        for (SigmaDocument d : docs) {
            DetectionRule b = bases.get(d);
            if (b != null && b.ruleName != null) {
                b.rule = baseRule(b);
                if (selected.test(b.rule)) {
                    out.add(b.rule);
                }
            }
        }
        for (CorrelationRule c : corrs.values()) {
            if (c.ok) {
                try {
                    c.rule = correlations.compile(c);
                } catch (SigmaException e) {
                    report.error(e.position(), e.getMessage());
                }
            }
        }
        if (report.hasErrors()) {
            return List.of();
        }
        Set<CorrelationRule> kept = new LinkedHashSet<>();
        for (CorrelationRule c : corrs.values()) {
            if (c.rule != null && c.alerts() && selected.test(c.rule)) {
                keep(c, kept);
            }
        }
        for (CorrelationRule c : corrs.values()) {
            if (kept.contains(c)) {
                out.add(c.rule);
            }
        }
        out.sort((x, y) -> Integer.compare(x.position(), y.position()));
        return out;
    }

    private static void keep(CorrelationRule c, Set<CorrelationRule> kept) {
        if (kept.add(c)) {
            for (SigmaUnit t : c.targets) {
                if (t instanceof CorrelationRule) {
                    keep((CorrelationRule) t, kept);
                }
            }
        }
    }

    // ---- detection rules ----------------------------------------------------------------------------

    private void compileBase(DetectionRule b) {
        SigmaDocument d = b.doc;
        if (!SigmaDocument.isCloudTrail(d.logsource)) {
            b.skipped = true;
            report.warn(d.keyPosition("logsource"), "Sigma rule " + d.label() + " is for logsource "
                    + SigmaDocument.describe(d.logsource) + ", not product: aws, service: cloudtrail; skipped");
            return;
        }
        try {
            Node detection = d.top.get("detection");
            List<SigmaFilter> extra = new ArrayList<>();
            for (Errata.Erratum er : errata.forRule(d.id)) {
                if (!er.matches(d)) {
                    report.warn(d.position, "Sigma rule " + d.id + " (" + d.title + "): erratum " + er.id()
                            + " no longer matches the rule (the defect '" + er.key + ": " + er.value + "' in '"
                            + er.identifier + "' is gone; fixed upstream?): not applied");
                    continue;
                }
                if (er.remove && detection instanceof MappingNode) {
                    detection = er.withoutDefect((MappingNode) detection);
                }
                if (er.filter != null) {
                    extra.add(er.filter);
                }
                b.errata.add(er.id());
                report.warn(d.position, "Sigma rule " + d.id + " (" + d.title + "): erratum " + er.id() + " applied: "
                        + er.reason);
            }
            Detection det = new Detection(d.file, detection, Set.of("condition"), fields, report::warn);
            Node condition = SigmaYaml.map(d.file, detection, "detection").get("condition");
            if (condition == null) {
                throw new SigmaException(d.keyPosition("detection"), "detection has no 'condition'");
            }
            Detection.DNode node = det.condition(condition);
            List<Detection.DNode> all = new ArrayList<>();
            all.add(node);
            for (SigmaFilter f : extra) {
                Detection.DNode fn = filters.condition(f);
                if (fn != null) {
                    all.add(fn);
                }
            }
            for (SigmaFilter f : filters.filtersFor(d)) {
                Detection.DNode fn = filters.condition(f);
                if (fn != null) {
                    all.add(fn);
                }
            }
            b.node = all.size() == 1 ? node : new Detection.And(all);
        } catch (SigmaException e) {
            b.failed = true;
            report.error(e.position(), "Sigma rule " + d.label() + ": " + e.getMessage());
        } catch (SkipRule e) {
            b.skipped = true;
            report.warn(e.position(), "Sigma rule " + d.label() + " rejected: " + e.getMessage());
        }
    }

    private Rule baseRule(DetectionRule b) {
        SigmaDocument d = b.doc;
        OutputFormat output = SigmaOutput.detection(fields, d, b.errata);
        return new Rule(b.ruleName, d.ruleDescription(), b.node.condition(), output, d.priority(), d.sortedTags(),
                SigmaLoader.SOURCE, d.order, b.node.eventNames(), d.origin()).withGuidance(d.guidance())
                .withVersion(d.ruleVersion());
    }

    /** The title, or when another rule already has that name, the title with the id (or name, or load order). */
    private String uniqueName(SigmaDocument d, Set<String> taken) {
        String name = d.title;
        if (!taken.contains(name)) {
            taken.add(name);
            return name;
        }
        String suffix = d.id != null ? d.id : d.name != null ? d.name : "#" + d.order;
        String alt = d.title + " [" + suffix + "]";
        for (int i = 2; taken.contains(alt); i++) {
            alt = d.title + " [" + suffix + " " + i + "]";
        }
        taken.add(alt);
        report.warn(d.keyPosition("title"), "Sigma " + d.kindName() + " " + d.label() + ": another rule is already "
                + "named '" + d.title + "'; this one is named '" + alt + "'");
        return alt;
    }
}
