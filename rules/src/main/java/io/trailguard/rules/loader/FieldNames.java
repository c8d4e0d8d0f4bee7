package io.trailguard.rules.loader;

import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.CheckWalker;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.FieldExpr;

import java.util.LinkedHashSet;
import java.util.Set;

/** The plain field names (without arguments, inside transformers) an expanded condition reads. */
final class FieldNames extends CheckWalker {
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
    public Void visitCheck(CheckExpr e) {
        add(e.field());
        if (e.valueField() != null) {
            add(e.valueField());
        }
        return null;
    }
}
