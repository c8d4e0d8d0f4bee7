package io.trailguard.job.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What happened to a rule bundle on one parallel instance: an operational event, logged and written to the alert
 * outputs as a {@code {"type":"rule_status",...}} line.
 * <ul>
 *   <li>{@code accepted}: the bundle compiled and is now active (every instance reports it);</li>
 *   <li>{@code rejected}: the bundle (or a control message) was refused with {@link #errors()}; the previous rules
 *       stay active;</li>
 *   <li>{@code incomplete}: a chunked bundle was discarded before all its chunks arrived (timeout, or a newer
 *       bundle arrived complete); {@link #errors()} names the chunks received; the previous rules stay active;</li>
 *   <li>{@code active}: the rules an instance started with (the start-up bundle, or the one restored from a
 *       checkpoint), reported once when its first event arrives.</li>
 * </ul>
 */
public final class RuleStatus implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String ACTIVE = "active";
    public static final String INCOMPLETE = "incomplete";

    private final String status;
    private final String version;
    private final String hash;
    private final int ruleCount;
    private final ArrayList<String> errors;
    private final ArrayList<String> warnings;
    private final String time;
    private final int subtask;
    private final String origin;
    private final String detail;

    public RuleStatus(String status, String version, String hash, int ruleCount, List<String> errors,
                      List<String> warnings, long timeMillis, int subtask, String origin, String detail) {
        this.status = status;
        this.version = version;
        this.hash = hash;
        this.ruleCount = ruleCount;
        this.errors = new ArrayList<>(errors);
        this.warnings = new ArrayList<>(warnings);
        this.time = Instant.ofEpochMilli(timeMillis).toString();
        this.subtask = subtask;
        this.origin = origin;
        this.detail = detail;
    }

    public String status() {
        return status;
    }

    public boolean isAccepted() {
        return ACCEPTED.equals(status);
    }

    public boolean isRejected() {
        return REJECTED.equals(status);
    }

    public String version() {
        return version;
    }

    public String hash() {
        return hash;
    }

    /** Number of rules in the bundle, or -1 when it did not compile. */
    public int ruleCount() {
        return ruleCount;
    }

    public List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public String time() {
        return time;
    }

    /** Index of the parallel instance that reports, or -1 for the bundle assembler's reports. */
    public int subtask() {
        return subtask;
    }

    public String origin() {
        return origin;
    }

    /** A short explanation (e.g. "restored from checkpoint"), or null. */
    public String detail() {
        return detail;
    }

    /** One JSON line: {@code {"type":"rule_status","status",...}}. */
    public String toJson() {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("type", "rule_status");
        n.put("status", status);
        n.put("version", version);
        n.put("hash", hash);
        if (ruleCount >= 0) {
            n.put("rules", ruleCount);
        }
        ArrayNode e = n.putArray("errors");
        errors.forEach(e::add);
        ArrayNode w = n.putArray("warnings");
        warnings.forEach(w::add);
        n.put("time", time);
        n.put("subtask", subtask);
        n.put("origin", origin);
        if (detail != null) {
            n.put("detail", detail);
        }
        return JobJson.write(n);
    }

    /** A one-line summary for logs. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        if (version == null) {
            b.append("control message from ").append(origin).append(' ');
        } else {
            b.append("rule bundle ").append(version).append(" (")
                    .append(hash == null ? "no hash" : hash.length() > 12 ? hash.substring(0, 12) : hash).append(") ");
        }
        b.append(status);
        if (ruleCount >= 0) {
            b.append(", ").append(ruleCount).append(" rules");
        }
        if (subtask >= 0) {
            b.append(", subtask ").append(subtask);
        }
        if (detail != null) {
            b.append(": ").append(detail);
        }
        if (!errors.isEmpty()) {
            b.append("; errors: ").append(String.join(" | ", errors));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
