package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * pySigma's rule validators ({@code sigma check}, {@code sigma/validators/core}), run on every Sigma document that
 * loads; each issue is a warning that names the validator and its severity, e.g. {@code sigma check
 * identifier_uniqueness (high): Rule identifier used by multiple rules: ...}. Problems pySigma refuses when it
 * parses a rule (a malformed id or date, an unknown status) are load errors elsewhere; these are the issues pySigma
 * reports about rules it does load. The tag checks are {@link SigmaTagChecks}, the detection checks
 * {@link SigmaDetectionChecks}.
 */
final class SigmaChecks {
    /** pySigma's {@code CustomAttributesValidator}: misspellings of standard keys. */
    private static final Set<String> MISSPELLED_KEYS = Set.of("realted", "relatde", "relted", "rlated", "reference");

    private final SigmaDiagnostics report;

    SigmaChecks(SigmaDiagnostics report) {
        this.report = report;
    }

    /** Reports the issues of every document, then those across documents (identifiers and titles used twice). */
    void run(List<SigmaDocument> docs) {
        Map<String, List<SigmaDocument>> ids = new LinkedHashMap<>();
        Map<String, List<SigmaDocument>> titles = new LinkedHashMap<>();
        for (SigmaDocument d : docs) {
            if (d.kind == SigmaDocument.Kind.FILTER) {
                continue; // pySigma validates rules and correlations
            }
            document(d);
            if (d.id != null) {
                ids.computeIfAbsent(d.id.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(d);
            }
            if (d.title != null) {
                titles.computeIfAbsent(d.title, k -> new ArrayList<>()).add(d);
            }
        }
        ids.forEach((id, same) -> collision(same, "identifier_uniqueness", "high",
                "Rule identifier used by multiple rules", id, "id"));
        titles.forEach((title, same) -> collision(same, "duplicate_title", "high", "Rule title used by multiple rules",
                title, "title"));
    }

    private void document(SigmaDocument d) {
        if (d.id == null) {
            issue(d.position, "identifier_existence", "medium", "Rule has no identifier (UUID)", d.label());
        }
        for (String ref : repeated(d.references)) {
            issue(d.keyPosition("references"), "duplicate_references", "medium",
                    "The same references appears multiple times", ref);
        }
        for (String k : d.keys.keySet()) {
            if (MISSPELLED_KEYS.contains(k)) {
                issue(d.keyPosition(k), "custom_attributes", "medium", "Rule use optional field name similar to legit",
                        k);
                break;
            }
        }
        new SigmaTagChecks(this).check(d);
        if (d.kind == SigmaDocument.Kind.RULE) {
            Node detection = d.top.get("detection");
            if (detection != null) {
                new SigmaDetectionChecks(this, d.file).check(detection);
            }
        }
    }

    private void collision(List<SigmaDocument> same, String validator, String severity, String description,
                           String value, String key) {
        if (same.size() < 2) {
            return;
        }
        for (SigmaDocument d : same) {
            StringBuilder others = new StringBuilder();
            for (SigmaDocument o : same) {
                if (o != d) {
                    others.append(others.length() == 0 ? "" : ", ").append(o.keyPosition(key).toString());
                }
            }
            issue(d.keyPosition(key), validator, severity, description, value + " (also at " + others + ")");
        }
    }

    /** The values that occur more than once, each once, in order. */
    static List<String> repeated(List<String> values) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        List<String> out = new ArrayList<>();
        counts.forEach((v, n) -> {
            if (n > 1) {
                out.add(v);
            }
        });
        return out;
    }

    void issue(Position at, String validator, String severity, String description, String detail) {
        report.warn(at, "sigma check " + validator + " (" + severity + "): " + description
                + (detail == null ? "" : ": " + detail));
    }
}
