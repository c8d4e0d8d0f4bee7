package io.trailguard.job.output;

import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;

/** The JSON lines outputs write. Alerts are the engine's alert lines unchanged. */
public final class OutputLines {
    private OutputLines() {
    }

    public static String alert(Alert a) {
        return a.toJson();
    }

    public static String ruleStatus(RuleStatus s) {
        return s.toJson();
    }

    /** The dead letter's one line format ({@link DeadLetter#toJsonLine}). */
    public static String deadLetter(DeadLetter d) {
        return d.toJsonLine();
    }
}
