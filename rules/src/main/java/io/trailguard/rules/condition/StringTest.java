package io.trailguard.rules.condition;

/** A compiled test on one string value. */
@FunctionalInterface
interface StringTest {
    boolean test(String value);
}
