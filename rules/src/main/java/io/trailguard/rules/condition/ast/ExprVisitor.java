package io.trailguard.rules.condition.ast;

public interface ExprVisitor<R> {
    R visitAnd(AndExpr e);

    R visitOr(OrExpr e);

    R visitNot(NotExpr e);

    R visitMacro(MacroRef e);

    R visitCheck(CheckExpr e);
}
