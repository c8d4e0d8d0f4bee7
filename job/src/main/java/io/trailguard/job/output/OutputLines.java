package io.trailguard.job.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.serde.JobJson;
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

    /** {@code {"type":"dead_letter","origin":...,"reason":...,"excerpt":...}}. */
    public static String deadLetter(DeadLetter d) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("type", "dead_letter");
        n.put("origin", d.origin());
        n.put("reason", d.reason());
        n.put("excerpt", d.excerpt());
        return JobJson.write(n);
    }
}
