package io.trailguard.rules.loader;

import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.ExprVisitor;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;

import java.util.HashSet;
import java.util.Set;

/**
 * The set of eventName values a condition requires (one of them), or null when it requires none. Used to index
 * rules so that an event is evaluated only against rules that can match its eventName.
 */
final class EventNameHint implements ExprVisitor<Set<String>> {
    private static final Set<String> EVENT_NAME_FIELDS = Set.of("ct.name", "aws.eventName",
            "json.value[/eventName]", "jevt.value[/eventName]", "json.value[eventName]", "jevt.value[eventName]");

    static Set<String> of(Expr e) {
        return e.accept(new EventNameHint());
    }

    @Override
    public Set<String> visitAnd(AndExpr e) {
        Set<String> result = null;
        for (Expr c : e.children()) {
            Set<String> s = c.accept(this);
            if (s != null) {
                if (result == null) {
                    result = new HashSet<>(s);
                } else {
                    result.retainAll(s);
                }
            }
        }
        return result;
    }

    @Override
    public Set<String> visitOr(OrExpr e) {
        Set<String> result = new HashSet<>();
        for (Expr c : e.children()) {
            Set<String> s = c.accept(this);
            if (s == null) {
                return null;
            }
            result.addAll(s);
        }
        return result;
    }

    @Override
    public Set<String> visitNot(NotExpr e) {
        return null;
    }

    @Override
    public Set<String> visitMacro(MacroRef e) {
        return null;
    }

    @Override
    public Set<String> visitCheck(CheckExpr c) {
        FieldExpr f = c.field();
        if (f.isTransformed() || !EVENT_NAME_FIELDS.contains(f.text()) || c.valueField() != null) {
            return null;
        }
        String op = c.operator();
        if (c.modifier() == null && (op.equals("=") || op.equals("=="))) {
            return Set.of(c.value());
        }
        if (c.modifier() == null && (op.equals("in") || op.equals("intersects"))) {
            return new HashSet<>(c.values());
        }
        if (c.modifier() != null && !c.modifier().equals("allof") && (op.equals("=") || op.equals("=="))) {
            return new HashSet<>(c.values());
        }
        return null;
    }
}
