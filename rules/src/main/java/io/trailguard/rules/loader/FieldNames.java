package io.trailguard.rules.loader;

import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.ExprVisitor;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;

import java.util.LinkedHashSet;
import java.util.Set;

/** The plain field names (without arguments, inside transformers) an expanded condition reads. */
final class FieldNames implements ExprVisitor<Void> {
    private final Set<String> names = new LinkedHashSet<>();

    static Set<String> of(Expr e) {
        FieldNames v = new FieldNames();
        e.accept(v);
        return v.names;
    }

    private void add(FieldExpr f) {
        for (FieldExpr field : f.fields()) {
            names.add(field.name());
        }
    }

    @Override
    public Void visitAnd(AndExpr e) {
        e.children().forEach(c -> c.accept(this));
        return null;
    }

    @Override
    public Void visitOr(OrExpr e) {
        e.children().forEach(c -> c.accept(this));
        return null;
    }

    @Override
    public Void visitNot(NotExpr e) {
        return e.child().accept(this);
    }

    @Override
    public Void visitMacro(MacroRef e) {
        return null;
    }

    @Override
    public Void visitCheck(CheckExpr e) {
        add(e.field());
        if (e.valueField() != null) {
            add(e.valueField());
        }
        return null;
    }
}
