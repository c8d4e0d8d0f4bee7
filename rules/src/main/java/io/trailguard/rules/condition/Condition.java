package io.trailguard.rules.condition;

import io.trailguard.rules.field.EvaluationContext;

/** A compiled condition: a predicate tree evaluated against one event. */
@FunctionalInterface
public interface Condition {
    boolean test(EvaluationContext ctx);
}
