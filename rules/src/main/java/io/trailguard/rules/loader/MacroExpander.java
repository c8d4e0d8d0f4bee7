package io.trailguard.rules.loader;

import io.trailguard.rules.condition.ConditionSyntaxException;
import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.ExprVisitor;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Replaces macro references by the macros' (already expanded) conditions. {@code lookup} decides visibility:
 * a macro sees only the macros defined before it, a rule sees all. An unknown name is Falco's
 * "Undefined macro" error.
 */
final class MacroExpander implements ExprVisitor<Expr> {
    /** Expanded conditions larger than this many nodes are rejected (macro bombs). */
    static final int MAX_NODES = 200_000;

    private final Function<String, Expr> lookup;
    private int nodes;

    MacroExpander(Function<String, Expr> lookup) {
        this.lookup = lookup;
    }

    Expr expand(Expr e) {
        return e.accept(this);
    }

    private void count() {
        if (++nodes > MAX_NODES) {
            throw new ConditionSyntaxException("condition expands (through macros) to more than " + MAX_NODES
                    + " nodes", 0);
        }
    }

    @Override
    public Expr visitAnd(AndExpr e) {
        count();
        return new AndExpr(expandAll(e.children()));
    }

    @Override
    public Expr visitOr(OrExpr e) {
        count();
        return new OrExpr(expandAll(e.children()));
    }

    @Override
    public Expr visitNot(NotExpr e) {
        count();
        return new NotExpr(e.child().accept(this));
    }

    @Override
    public Expr visitMacro(MacroRef e) {
        Expr body = lookup.apply(e.name());
        if (body == null) {
            throw new ConditionSyntaxException("Undefined macro '" + e.name() + "' used in filter.", e.offset());
        }
        nodes += NodeCounter.count(body);
        count();
        return body;
    }

    @Override
    public Expr visitCheck(CheckExpr e) {
        count();
        return e;
    }

    private List<Expr> expandAll(List<Expr> children) {
        List<Expr> out = new ArrayList<>(children.size());
        for (Expr c : children) {
            out.add(c.accept(this));
        }
        return out;
    }

    /** Counts nodes of an expanded (macro-free) tree, so shared sub-trees count every time they are used. */
    private static final class NodeCounter implements ExprVisitor<Integer> {
        static int count(Expr e) {
            return e.accept(new NodeCounter());
        }

        @Override
        public Integer visitAnd(AndExpr e) {
            int n = 1;
            for (Expr c : e.children()) {
                n += c.accept(this);
                if (n > MAX_NODES) {
                    return n;
                }
            }
            return n;
        }

        @Override
        public Integer visitOr(OrExpr e) {
            int n = 1;
            for (Expr c : e.children()) {
                n += c.accept(this);
                if (n > MAX_NODES) {
                    return n;
                }
            }
            return n;
        }

        @Override
        public Integer visitNot(NotExpr e) {
            return 1 + e.child().accept(this);
        }

        @Override
        public Integer visitMacro(MacroRef e) {
            return 1;
        }

        @Override
        public Integer visitCheck(CheckExpr e) {
            return 1;
        }
    }
}
