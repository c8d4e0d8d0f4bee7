package io.trailguard.rules.loader;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.source.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A Falco rule as loaded, before compilation; overrides and appends modify it in place. */
final class RuleDef {
    final String name;
    String desc;
    String condition;
    Position conditionPosition;
    boolean conditionSingleLine;
    /**
     * Where the condition was last appended to, when it was: a compile error of the combined text is reported
     * there (the file that appends), naming the definition it appends to.
     */
    Position appendedAt;
    String output;
    Position outputPosition;
    Priority priority;
    TreeSet<String> tags = new TreeSet<>();
    String source;
    boolean enabled = true;
    boolean skipIfUnknownFilter;
    List<ExceptionDef> exceptions = new ArrayList<>();
    AggregateDef aggregate;
    Position position;
    final int order;

    RuleDef(String name, Position position, int order) {
        this.name = name;
        this.position = position;
        this.order = order;
    }
}
