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
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces macro references by the macros' (already expanded) conditions. {@code lookup} decides visibility:
 * a macro sees only the macros defined before it, a rule sees all. An unknown name is Falco's
 * "Undefined macro" error.
 */
final class MacroExpander implements ExprVisitor<Expr> {
    /** Expanded conditions larger than this many nodes are rejected (macro bombs). */
    static final int MAX_NODES = 200_000;

    /** Expanded conditions nesting deeper than this are rejected (Falco's recursion limit for conditions). */
    static final int MAX_DEPTH = 1000;

    private final Function<String, Expr> lookup;
    private final Map<Expr, int[]> sizes;
    private int nodes;
    private int depth;
    private int maxDepth;

    /**
     * @param sizes node count and depth of every already-expanded macro body ({@code [nodes, depth]}), so that
     *              substituting a body never walks it again; bodies expanded here are added to it
     */
    MacroExpander(Function<String, Expr> lookup, Map<Expr, int[]> sizes) {
        this.lookup = lookup;
        this.sizes = sizes;
    }

    Expr expand(Expr e) {
        Expr out = e.accept(this);
        sizes.put(out, new int[] {nodes, maxDepth});
        return out;
    }

    private Expr nested(Expr child) {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        if (maxDepth > MAX_DEPTH) {
            throw new ConditionSyntaxException("condition nests (through macros) deeper than " + MAX_DEPTH
                    + " levels", 0);
        }
        try {
            return child.accept(this);
        } finally {
            depth--;
        }
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
        return new NotExpr(nested(e.child()));
    }

    @Override
    public Expr visitMacro(MacroRef e) {
        Expr body = lookup.apply(e.name());
        if (body == null) {
            throw new ConditionSyntaxException("Undefined macro '" + e.name() + "' used in filter.", e.offset());
        }
        int[] size = sizes.get(body);
        nodes += size == null ? 1 : size[0];
        maxDepth = Math.max(maxDepth, depth + (size == null ? 1 : size[1]));
        if (maxDepth > MAX_DEPTH) {
            throw new ConditionSyntaxException("condition nests (through macros) deeper than " + MAX_DEPTH
                    + " levels", e.offset());
        }
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
            out.add(nested(c));
        }
        return out;
    }
}
