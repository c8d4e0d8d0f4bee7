package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma document that cannot be loaded: reported as {@code file:line:col: message}; it may carry further
 * problems of the same document found at the same time ({@link #all}).
 */
final class SigmaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position position;
    private final transient List<SigmaException> others = new ArrayList<>();

    SigmaException(Position position, String message) {
        super(message);
        this.position = position;
    }

    /** One exception for several problems (at least one), in order. */
    static SigmaException of(List<SigmaException> problems) {
        SigmaException first = problems.get(0);
        for (int i = 1; i < problems.size(); i++) {
            first.others.addAll(problems.get(i).all());
        }
        return first;
    }

    Position position() {
        return position;
    }

    /** This problem and the others found with it. */
    List<SigmaException> all() {
        List<SigmaException> out = new ArrayList<>();
        out.add(this);
        out.addAll(others);
        return out;
    }
}
