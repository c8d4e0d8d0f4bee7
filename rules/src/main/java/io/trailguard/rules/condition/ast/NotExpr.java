package io.trailguard.rules.condition.ast;

public final class NotExpr implements Expr {
    private final Expr child;

    public NotExpr(Expr child) {
        this.child = child;
    }

    public Expr child() {
        return child;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitNot(this);
    }

    @Override
    public String toString() {
        return "not(" + child + ")";
    }
}
