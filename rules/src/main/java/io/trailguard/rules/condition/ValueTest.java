package io.trailguard.rules.condition;

/** A compiled test on a present field value (a String, a Long, or a List of strings). */
@FunctionalInterface
interface ValueTest {
    boolean test(Object value);
}
