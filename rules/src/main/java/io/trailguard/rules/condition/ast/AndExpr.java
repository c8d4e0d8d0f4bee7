package io.trailguard.rules.condition.ast;

import java.util.List;

/** n-ary conjunction. */
public final class AndExpr implements Expr {
    private final List<Expr> children;

    public AndExpr(List<Expr> children) {
        this.children = List.copyOf(children);
    }

    public List<Expr> children() {
        return children;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitAnd(this);
    }

    @Override
    public String toString() {
        return "and" + children;
    }
}
