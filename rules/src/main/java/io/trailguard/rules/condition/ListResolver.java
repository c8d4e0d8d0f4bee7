package io.trailguard.rules.condition;

import java.util.List;

/** Looks up the items of a named Falco list; null when no list has that name. */
@FunctionalInterface
public interface ListResolver {
    List<String> items(String name);

    ListResolver NONE = name -> null;
}
