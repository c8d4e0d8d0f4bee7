package io.trailguard.job.output;

import io.trailguard.rules.engine.Alert;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A replay's {@code file:PATH} output: the replay's alerts in replay order (event time, rule, event id; an incident
 * once, in its last version), one alert JSON line each, appended to PATH when the replay has ended, so that two
 * replays of the same input write the same bytes. A running job's {@code file:} output is a sink instead, which
 * appends every alert version as it arrives.
 */
public final class ReplayFile {
    private final String path;

    private ReplayFile(String path) {
        this.path = path;
    }

    /** The replay file of a {@code file:PATH} spec, or null when the spec is another output. */
    public static ReplayFile of(String spec) {
        String s = spec.trim();
        if (!s.toLowerCase(Locale.ROOT).startsWith("file:")) {
            return null;
        }
        String path = AlertOutputs.filePath(s);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("output '" + spec + "' needs a path: file:PATH");
        }
        return new ReplayFile(path);
    }

    public void write(List<Alert> ordered) throws IOException {
        try (LineTarget.LineWriter out = LineTarget.file(path).open()) {
            for (Alert a : ordered) {
                out.write(OutputLines.alert(a));
            }
        }
    }
}
