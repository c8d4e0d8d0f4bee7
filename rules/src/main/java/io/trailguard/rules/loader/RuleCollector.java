package io.trailguard.rules.loader;

import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.Position;
import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.text.Suggestions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the files of one load define, across files, in definition order, plus the diagnostics: Falco's
 * {@code rule_loader_collector}. The reader ({@link FalcoFileReader}) turns YAML into definitions and asks the
 * collector for what already exists; a redefinition keeps the first definition's place in the evaluation order
 * (Falco's {@code define_info}); an append or override needs a previous definition; appends and overrides are
 * applied to it in place ({@link FalcoOverrides}); the compiler ({@link RuleCompiler}) reads the result.
 */
final class RuleCollector {
    final Map<String, ListDef> lists = new LinkedHashMap<>();
    final Map<String, MacroDef> macros = new LinkedHashMap<>();
    final Map<String, RuleDef> rules = new LinkedHashMap<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    private int order;

    int nextOrder() {
        return order++;
    }

    /** The evaluation position of a definition of {@code name}: the earlier one's when it is a redefinition. */
    int listOrder(String name) {
        ListDef d = lists.get(name);
        return d != null ? d.order : nextOrder();
    }

    int macroOrder(String name) {
        MacroDef d = macros.get(name);
        return d != null ? d.order : nextOrder();
    }

    int ruleOrder(String name) {
        RuleDef d = rules.get(name);
        return d != null ? d.order : nextOrder();
    }

    void define(ListDef d) {
        lists.put(d.name, d);
    }

    void define(MacroDef d) {
        macros.put(d.name, d);
    }

    void define(RuleDef d) {
        rules.put(d.name, d);
    }

    /** The list an append or override modifies; Falco's {@code ERROR_NO_PREVIOUS_LIST} when there is none. */
    ListDef previousList(String name, Position at) {
        ListDef d = lists.get(name);
        if (d == null) {
            throw new RuleLoadException(at, "List has 'append' or 'override' key but no list by that name already "
                    + "exists" + Suggestions.didYouMean(name, lists.keySet()));
        }
        return d;
    }

    MacroDef previousMacro(String name, Position at) {
        MacroDef d = macros.get(name);
        if (d == null) {
            throw new RuleLoadException(at, "Macro has 'append' or 'override' key but no macro by that name already "
                    + "exists" + Suggestions.didYouMean(name, macros.keySet()));
        }
        return d;
    }

    /** The rule an append, override or enabled-only item modifies ({@code what} is the key that says so). */
    RuleDef previousRule(String name, String what, Position at) {
        RuleDef d = rules.get(name);
        if (d == null) {
            throw new RuleLoadException(at, "Rule has " + what + " key but no rule by that name already exists"
                    + Suggestions.didYouMean(name, rules.keySet()));
        }
        return d;
    }

    /** A rule of an existing name must keep its source (empty or absent on the new item: the same source). */
    static void checkSameSource(RuleDef existing, String source, Position at) {
        if (source == null || source.isEmpty()) {
            return;
        }
        String old = existing.source == null ? "syscall" : existing.source;
        if (!source.equals(old)) {
            throw new RuleLoadException(at, "Rule '" + existing.name + "' is already defined with source '" + old
                    + "'; a rule of the same name cannot have source '" + source + "' (Rule has been re-defined "
                    + "with a different source)");
        }
    }

    void warn(Position p, String message) {
        diagnostics.add(Diagnostic.warning(p, message));
    }

    void error(Position p, String message) {
        diagnostics.add(Diagnostic.error(p, message));
    }
}
