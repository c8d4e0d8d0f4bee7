package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.aws.FindingGuidance;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RateSummary;
import io.trailguard.rules.engine.RuleGuidanceTags;

import java.io.Serializable;
import java.util.Optional;

/**
 * Turns an {@link Alert} into an OCSF {@value #OCSF_VERSION} <em>Detection Finding</em> (class_uid
 * {@value #CLASS_UID}, category Findings) with the {@code cloud} profile. Pure: the same alert and
 * {@link FindingTimes} give the same finding. {@code activity_id} is 1 (Create) for a finding id seen the first time,
 * 2 (Update) for a later version of it: a rate finding whose window fires again (the times say so: updated after
 * created) or an incident version above 1. {@code time} is when Trailguard created or updated this version of the
 * finding; the event times are {@code start_time}/{@code end_time} and {@code finding_info.first_seen_time}/
 * {@code last_seen_time}. The mapping is documented in {@code job/OUTPUTS.md}.
 */
public final class DetectionFindingMapper implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String OCSF_VERSION = "1.8.0";
    public static final int CATEGORY_UID = 2;
    public static final int CLASS_UID = 2004;
    static final int CREATE = 1;
    static final int UPDATE = 2;
    static final int STATUS_NEW = 1;

    private final String productVersion;

    /** @param productVersion Trailguard's version, as {@code metadata.product.version} */
    public DetectionFindingMapper(String productVersion) {
        this.productVersion = productVersion;
    }

    public ObjectNode map(Alert a, FindingTimes times) {
        boolean update = times.updatedAt() > times.createdAt()
                || (a.incident() != null && a.incident().version() > 1);
        int activity = update ? UPDATE : CREATE;
        OcsfSeverity severity = OcsfSeverity.of(a.rule().priority());
        long first = firstSeen(a);
        long last = lastSeen(a);
        String region = a.event().region();
        ObjectNode f = JobJson.mapper().createObjectNode()
                .put("activity_id", activity)
                .put("activity_name", update ? "Update" : "Create")
                .put("category_uid", CATEGORY_UID)
                .put("category_name", "Findings")
                .put("class_uid", CLASS_UID)
                .put("class_name", "Detection Finding")
                .put("type_uid", CLASS_UID * 100L + activity)
                .put("type_name", "Detection Finding: " + (update ? "Update" : "Create"))
                .put("severity_id", severity.id())
                .put("severity", severity.caption())
                .put("status_id", STATUS_NEW)
                .put("status", "New")
                .put("time", times.updatedAt())
                .put("start_time", first)
                .put("end_time", last)
                .put("is_alert", true);
        if (a.output() != null) {
            f.put("message", a.output());
        }
        long count = count(a);
        if (count > 0 && count <= Integer.MAX_VALUE) {
            f.put("count", (int) count);
        }
        f.set("metadata", metadata(a, times));
        f.set("finding_info", OcsfFindingInfo.of(a, times, first, last, region == null ? "us-east-1" : region));
        f.set("cloud", OcsfEvidence.cloud(a.event().account(), region));
        OcsfEvidence.api(a.subject()).ifPresent(api -> f.set("api", api));
        if (!a.subject().resources().isEmpty()) {
            f.set("resources", OcsfEvidence.resources(a.subject(), region));
        }
        OcsfEvidence.of(a).ifPresent(e -> f.putArray("evidences").add(e));
        remediation(a).ifPresent(r -> f.set("remediation", r));
        f.set("unmapped", unmapped(a));
        return f;
    }

    /** The finding as one JSON line. */
    public String line(Alert a, FindingTimes times) {
        return JobJson.write(map(a, times));
    }

    private ObjectNode metadata(Alert a, FindingTimes times) {
        ObjectNode m = JobJson.mapper().createObjectNode().put("version", OCSF_VERSION);
        ObjectNode product = m.putObject("product").put("name", "Trailguard").put("vendor_name", "Trailguard");
        if (productVersion != null) {
            product.put("version", productVersion);
        }
        m.putArray("profiles").add("cloud");
        m.put("uid", FindingMapper.findingId(a) + "@" + times.updatedAt());
        if (a.event().time() != null) {
            m.put("original_time", a.event().time());
        }
        m.put("log_name", "trailguard-findings");
        ArrayNode labels = JobJson.mapper().createArrayNode();
        a.rule().tags().stream().filter(t -> !RuleGuidanceTags.isGuidance(t)).forEach(labels::add);
        if (!labels.isEmpty()) {
            m.set("labels", labels);
        }
        return m;
    }

    private static Optional<ObjectNode> remediation(Alert a) {
        String text = a.rule().guidance().remediation();
        Optional<String> url = FindingGuidance.remediationUrl(a.rule());
        if (text == null && url.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode r = JobJson.mapper().createObjectNode().put("desc", text != null ? text : "See " + url.get());
        url.ifPresent(u -> r.putArray("references").add(u));
        return Optional.of(r);
    }

    /** What OCSF has no attribute for: output fields, the rate window, the incident's score, the hostname. */
    private static ObjectNode unmapped(Alert a) {
        ObjectNode alert = a.toJsonNode();
        ObjectNode u = JobJson.mapper().createObjectNode();
        for (String key : new String[] {"output_fields", "aggregate", "incident", "hostname", "event_id", "source"}) {
            if (alert.hasNonNull(key)) {
                u.set(key, alert.get(key));
            }
        }
        if (u.has("incident")) {
            ((ObjectNode) u.get("incident")).remove("members"); // they are finding_info.related_events
        }
        return JobJson.mapper().createObjectNode().set("trailguard", u);
    }

    private static long firstSeen(Alert a) {
        if (a.incident() != null) {
            return a.incident().firstMillis();
        }
        RateSummary r = a.rate();
        return r != null ? r.firstTime() : a.event().timeMillis();
    }

    private static long lastSeen(Alert a) {
        if (a.incident() != null) {
            return a.incident().lastMillis();
        }
        RateSummary r = a.rate();
        return r != null ? r.lastTime() : a.event().timeMillis();
    }

    private static long count(Alert a) {
        if (a.incident() != null) {
            return a.incident().members().size();
        }
        return a.rate() != null ? a.rate().count() : 1;
    }
}
