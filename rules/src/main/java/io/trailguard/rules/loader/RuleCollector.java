package io.trailguard.rules.loader;

import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.Position;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the files of one load define, in definition order, plus the warnings found while reading. */
final class RuleCollector {
    final Map<String, ListDef> lists = new LinkedHashMap<>();
    final Map<String, MacroDef> macros = new LinkedHashMap<>();
    final Map<String, RuleDef> rules = new LinkedHashMap<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    private int order;

    int nextOrder() {
        return order++;
    }

    void warn(Position p, String message) {
        diagnostics.add(Diagnostic.warning(p, message));
    }

    void error(Position p, String message) {
        diagnostics.add(Diagnostic.error(p, message));
    }
}
