package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;
import io.trailguard.rules.source.RuleLoadException;

import java.util.ArrayList;
import java.util.List;

/** A Falco list as loaded (before nested lists are expanded). */
final class ListDef {
    /** Items one list may hold (after appends). */
    static final int MAX_ITEMS = 10_000;

    final String name;
    final List<String> items;
    final Position position;
    final int order;
    boolean used;

    ListDef(String name, List<String> items, Position position, int order) {
        this.name = name;
        this.items = new ArrayList<>(items);
        this.position = position;
        this.order = order;
    }

    /** Stops the file at {@code where} when list {@code name} would hold more than {@link #MAX_ITEMS} items. */
    static void checkSize(Position where, String name, int size) {
        if (size > MAX_ITEMS) {
            throw new RuleLoadException(where, "list '" + name + "' has " + size + " items; the limit is "
                    + MAX_ITEMS);
        }
    }
}
