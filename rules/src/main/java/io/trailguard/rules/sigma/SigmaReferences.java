package io.trailguard.rules.sigma;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sigma documents of one load by id, name and title, as correlations and filters reference them. Ids and
 * names must be unique; a duplicate is an error.
 */
final class SigmaReferences {
    private final Map<String, SigmaDocument> byId = new HashMap<>();
    private final Map<String, SigmaDocument> byName = new HashMap<>();
    private final Map<String, List<SigmaDocument>> byTitle = new HashMap<>();

    SigmaReferences(List<SigmaDocument> docs, SigmaDiagnostics report) {
        for (SigmaDocument d : docs) {
            if (d.id != null) {
                SigmaDocument prev = byId.putIfAbsent(d.id, d);
                if (prev != null) {
                    report.error(d.keyPosition("id"), "duplicate Sigma id " + d.id + " (also " + prev.position + ")");
                }
            }
            if (d.name != null) {
                SigmaDocument prev = byName.putIfAbsent(d.name, d);
                if (prev != null) {
                    report.error(d.keyPosition("name"), "duplicate Sigma name '" + d.name + "' (also "
                            + prev.position + "): names must be unique");
                }
            }
            byTitle.computeIfAbsent(d.title, k -> new ArrayList<>()).add(d);
        }
    }

    /**
     * The document a reference names: by id, then by name, then (for compatibility with rule sets that reference
     * titles, e.g. suzaku-rules) by title when exactly one document has it. Null when none.
     */
    SigmaDocument lookup(String ref) {
        SigmaDocument d = byId.get(ref);
        if (d == null) {
            d = byName.get(ref);
        }
        if (d == null) {
            List<SigmaDocument> t = byTitle.get(ref);
            if (t != null && t.size() == 1) {
                d = t.get(0);
            }
        }
        return d;
    }

    /** Why {@code ref}, for which {@link #lookup} found nothing, names nothing. */
    String unknownReference(String ref) {
        List<SigmaDocument> t = byTitle.get(ref);
        if (t != null && t.size() > 1) {
            return "rule reference '" + ref + "' is ambiguous: " + t.size() + " documents have that title (reference "
                    + "them by id or name)";
        }
        return "unknown rule reference '" + ref + "' (no loaded Sigma rule or correlation has that id, name or title)";
    }
}
