package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.Position;

import java.util.List;

/** The errors and warnings of one Sigma compilation, added to the load's diagnostics. */
final class SigmaDiagnostics {
    private final List<Diagnostic> diagnostics;

    SigmaDiagnostics(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    void error(Position p, String message) {
        diagnostics.add(Diagnostic.error(p, message));
    }

    void warn(Position p, String message) {
        diagnostics.add(Diagnostic.warning(p, message));
    }

    void warn(Detection.Diagnosis d) {
        warn(d.position, d.message);
    }

    /** Whether the load has an error so far (from any file or dialect). */
    boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
