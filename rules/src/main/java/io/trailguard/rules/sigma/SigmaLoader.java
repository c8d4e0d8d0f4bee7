package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The Sigma dialect of the rule loader: reads Sigma documents (rules, correlations, filters; several per file
 * with {@code ---}) from every file the loader recognises as Sigma, then compiles them, all files together (so
 * correlations and filters may reference rules of other files), into {@link Rule}s of the same rule set as Falco
 * rules. Errors and warnings are {@link Diagnostic}s with {@code file:line:col}. See rules/SIGMA.md.
 *
 * <p>Used by {@code RuleLoader}: {@link #isSigma} chooses the dialect of a file by its
 * content, {@link #read} collects its documents in load order, {@link #compile} builds the rules.
 */
public final class SigmaLoader {
    /** The rule source of Sigma CloudTrail rules (the same as the Falco dialect's). */
    public static final String SOURCE = "aws_cloudtrail";

    private final List<SigmaDocument> docs = new ArrayList<>();
    private final Set<String> failed = new HashSet<>();

    /**
     * True when a file's YAML documents are Sigma: some document is a mapping with a {@code detection},
     * {@code correlation} or {@code filter} section (a Falco file is a sequence of items).
     */
    public static boolean isSigma(List<Node> documents) {
        for (Node d : documents) {
            if (SigmaDocument.looksLikeSigma(d)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the documents of one Sigma file; {@code order} gives each document its load order. */
    public void read(RuleSource source, List<Node> documents, IntSupplier order, List<Diagnostic> diagnostics) {
        for (Node doc : documents) {
            if (SigmaYaml.isNull(doc)) {
                continue;
            }
            try {
                docs.add(SigmaDocument.parse(source.name(), doc, order.getAsInt(),
                        (p, m) -> diagnostics.add(Diagnostic.warning(p, m))));
            } catch (SigmaException e) {
                for (SigmaException x : e.all()) {
                    diagnostics.add(Diagnostic.error(x.position(), x.getMessage()));
                }
                detectionErrors(source.name(), doc, diagnostics);
                rememberFailed(source.name(), doc);
            }
        }
    }

    /**
     * The errors of a failed rule's detection section (unknown modifiers, a condition naming no search
     * identifier...), so that one run reports them with the document's other errors; the rule is not kept.
     */
    private static void detectionErrors(String file, Node doc, List<Diagnostic> diagnostics) {
        Node detection = doc instanceof org.snakeyaml.engine.v2.nodes.MappingNode ? valueOf(doc, "detection") : null;
        if (!(detection instanceof org.snakeyaml.engine.v2.nodes.MappingNode)) {
            return;
        }
        try {
            Node condition = SigmaYaml.map(file, detection, "detection").get("condition");
            Detection det = new Detection(file, detection, Set.of("condition"), new FieldTable(), w -> { });
            if (condition != null) {
                det.condition(condition);
            }
        } catch (SigmaException e) {
            for (SigmaException x : e.all()) {
                diagnostics.add(Diagnostic.error(x.position(), x.getMessage()));
            }
        } catch (RuntimeException ignored) {
            // a section too malformed to read: its document's own error says so
        }
    }

    private static Node valueOf(Node mapping, String key) {
        for (org.snakeyaml.engine.v2.nodes.NodeTuple t
                : ((org.snakeyaml.engine.v2.nodes.MappingNode) mapping).getValue()) {
            if (t.getKeyNode() instanceof org.snakeyaml.engine.v2.nodes.ScalarNode
                    && key.equals(((org.snakeyaml.engine.v2.nodes.ScalarNode) t.getKeyNode()).getValue())) {
                return t.getValueNode();
            }
        }
        return null;
    }

    /** Identifiers of a document that failed, so that references to it do not report a second error. */
    private void rememberFailed(String file, Node doc) {
        try {
            for (String key : new String[] {"id", "name", "title"}) {
                Node n = SigmaYaml.map(file, doc, "document").get(key);
                if (n != null && !SigmaYaml.isNull(n) && n instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
                    failed.add(((org.snakeyaml.engine.v2.nodes.ScalarNode) n).getValue());
                }
            }
        } catch (RuntimeException ignored) {
            // not even a mapping: nothing can reference it
        }
    }

    /** True when no Sigma document was read. */
    public boolean isEmpty() {
        return docs.isEmpty();
    }

    /**
     * Compiles every document read into rules, using the rule set's field table.
     *
     * @param applyErrata whether Trailguard's errata for known SigmaHQ rule defects are applied
     * @param selected    whether an alerting rule stays enabled (the load options' selections and minimum
     *                    priority); rules that only feed correlations are kept while a kept rule needs them
     * @param takenNames  rule names already used (Falco rules): Sigma titles that collide are disambiguated
     * @return the rules, in load order; empty when there were errors (they are in {@code diagnostics})
     */
    public List<Rule> compile(FieldTable fields, boolean applyErrata, Predicate<Rule> selected, Set<String> takenNames,
                              List<Diagnostic> diagnostics) {
        if (docs.isEmpty()) {
            return List.of();
        }
        new SigmaChecks(new SigmaDiagnostics(diagnostics)).run(docs);
        Errata errata = applyErrata ? Errata.bundled() : Errata.none();
        return new SigmaCompiler(docs, failed, fields, errata, diagnostics).compile(selected, takenNames);
    }
}
