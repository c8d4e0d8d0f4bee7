package io.trailguard.rules.loader;

import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.incident.IncidentPolicy;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.SourceExcerpt;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of loading rule files: a rule set when there was no error, and every diagnostic. */
public final class LoadResult {
    private final RuleSet ruleSet;
    private final List<Diagnostic> diagnostics;
    private final IncidentPolicy incidentPolicy;

    private final java.util.Map<String, String> texts = new java.util.HashMap<>();

    LoadResult(RuleSet ruleSet, List<Diagnostic> diagnostics, List<RuleSource> sources) {
        this(ruleSet, diagnostics, sources, IncidentPolicy.defaults());
    }

    LoadResult(RuleSet ruleSet, List<Diagnostic> diagnostics, List<RuleSource> sources,
               IncidentPolicy incidentPolicy) {
        this.ruleSet = ruleSet;
        this.diagnostics = List.copyOf(diagnostics);
        this.incidentPolicy = incidentPolicy;
        for (RuleSource s : sources) {
            texts.putIfAbsent(s.name(), s.text());
        }
    }

    /** How the incident stage correlates these rules' alerts (the files' {@code incident_*} lists, or defaults). */
    public IncidentPolicy incidentPolicy() {
        return incidentPolicy;
    }

    /**
     * {@code d} as a rule author reads it: {@code file:line:col: message}, then the offending source line and a
     * caret under the column (see {@link SourceExcerpt}).
     */
    public String render(Diagnostic d) {
        return SourceExcerpt.render(d, texts.get(d.file()));
    }

    public boolean ok() {
        return ruleSet != null;
    }

    /** The compiled rules; null when {@link #ok()} is false. */
    public RuleSet ruleSet() {
        return ruleSet;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).collect(Collectors.toList());
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).collect(Collectors.toList());
    }

    /** The rule set, or an exception listing every error. */
    public RuleSet orThrow() {
        if (ruleSet == null) {
            throw new IllegalStateException("invalid rules:\n" + errors().stream().map(Diagnostic::toString)
                    .collect(Collectors.joining("\n")));
        }
        return ruleSet;
    }
}
