package io.trailguard.rules.condition.ast;

import java.util.List;

/** n-ary disjunction. */
public final class OrExpr implements Expr {
    private final List<Expr> children;

    public OrExpr(List<Expr> children) {
        this.children = List.copyOf(children);
    }

    public List<Expr> children() {
        return children;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitOr(this);
    }

    @Override
    public String toString() {
        return "or" + children;
    }
}
