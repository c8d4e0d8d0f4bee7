package io.trailguard.rules.source;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** A place in a rules file (1-based line and column). */
public final class Position {
    private final String file;
    private final int line;
    private final int column;

    public Position(String file, int line, int column) {
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** Where {@code node} starts. */
    public static Position of(String file, Node node) {
        return node.getStartMark().map(m -> of(file, m)).orElse(new Position(file, 1, 1));
    }

    static Position of(String file, Mark m) {
        return new Position(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /**
     * The position of character {@code offset} inside a scalar that starts at this position: exact for plain
     * and quoted single-line scalars, the scalar's start line otherwise.
     */
    public Position offset(String scalarText, int offset, boolean singleLine) {
        if (!singleLine || offset < 0 || offset > scalarText.length() || scalarText.indexOf('\n') >= 0) {
            return this;
        }
        return new Position(file, line, column + offset);
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
