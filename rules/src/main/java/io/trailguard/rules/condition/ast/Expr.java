package io.trailguard.rules.condition.ast;

/** A node of a parsed Falco condition (before macros are resolved and fields compiled). */
public interface Expr {
    <R> R accept(ExprVisitor<R> visitor);
}
