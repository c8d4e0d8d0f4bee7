package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;

import java.util.ArrayList;
import java.util.List;

/** A Falco list as loaded (before nested lists are expanded). */
final class ListDef {
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
}
