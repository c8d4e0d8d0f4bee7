package io.trailguard.rules.condition.ast;

/**
 * Visits every check of a condition tree, through {@code and}, {@code or} and {@code not}; macro references are not
 * followed (walk an expanded tree to see a macro's checks). Subclasses say what a check contributes.
 */
public abstract class CheckWalker implements ExprVisitor<Void> {
    @Override
    public final Void visitAnd(AndExpr e) {
        e.children().forEach(c -> c.accept(this));
        return null;
    }

    @Override
    public final Void visitOr(OrExpr e) {
        e.children().forEach(c -> c.accept(this));
        return null;
    }

    @Override
    public final Void visitNot(NotExpr e) {
        return e.child().accept(this);
    }

    @Override
    public final Void visitMacro(MacroRef e) {
        return null;
    }
}
