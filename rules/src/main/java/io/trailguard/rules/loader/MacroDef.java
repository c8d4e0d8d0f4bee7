package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;

/** A Falco macro as loaded: its condition text, compiled after every file has loaded. */
final class MacroDef {
    final String name;
    String condition;
    Position conditionPosition;
    boolean conditionSingleLine;
    /**
     * Where the condition was last appended to, when it was: a compile error of the combined text is reported
     * there (the file that appends), naming the definition it appends to.
     */
    Position appendedAt;
    final Position position;
    final int order;
    boolean used;

    MacroDef(String name, String condition, Position conditionPosition, boolean conditionSingleLine,
             Position position, int order) {
        this.name = name;
        this.condition = condition;
        this.conditionPosition = conditionPosition;
        this.conditionSingleLine = conditionSingleLine;
        this.position = position;
        this.order = order;
    }
}
