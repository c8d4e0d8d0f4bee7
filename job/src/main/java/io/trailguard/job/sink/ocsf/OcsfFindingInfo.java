package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.aws.FindingGuidance;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.job.sink.aws.FindingTypes;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.RuleIdentity;

/**
 * {@code finding_info}: the finding id (the Security Hub finding's, {@link FindingMapper#findingId}), the rule as
 * title and {@code analytic}, what it detects, the ASFF types of its ATT&CK tags, {@code attacks}, the event times
 * ({@code first_seen_time}/{@code last_seen_time}), when Trailguard created and updated the finding, the CloudTrail
 * console link and, for an incident, its member alerts as {@code related_events} (by their own finding ids).
 */
final class OcsfFindingInfo {
    static final int RULE = 1;
    static final int BEHAVIORAL = 2;

    private OcsfFindingInfo() {
    }

    static ObjectNode of(Alert a, FindingTimes times, long firstSeen, long lastSeen, String region) {
        RuleIdentity rule = a.rule();
        ObjectNode info = JobJson.mapper().createObjectNode()
                .put("uid", FindingMapper.findingId(a))
                .put("title", rule.name());
        String desc = rule.description() != null && !rule.description().isBlank() ? rule.description().trim()
                : a.output();
        if (desc != null) {
            info.put("desc", desc);
        }
        ArrayNode types = info.putArray("types");
        FindingTypes.of(rule.tags()).forEach(types::add);
        ObjectNode analytic = info.putObject("analytic").put("name", rule.name());
        if (a.incident() != null) {
            analytic.put("type_id", BEHAVIORAL).put("type", "Behavioral");
        } else {
            analytic.put("type_id", RULE).put("type", "Rule");
        }
        if (rule.source() != null) {
            analytic.put("category", rule.source());
        }
        String version = rule.version();
        if (version != null) {
            analytic.put("version", version);
        }
        ArrayNode attacks = OcsfAttacks.of(rule.tags());
        if (!attacks.isEmpty()) {
            info.set("attacks", attacks);
        }
        info.put("first_seen_time", firstSeen).put("last_seen_time", lastSeen)
                .put("created_time", times.createdAt()).put("modified_time", times.updatedAt());
        info.putArray("data_sources").add("AWS CloudTrail");
        FindingGuidance.sourceUrl(a, region).ifPresent(u -> info.put("src_url", u));
        if (a.incident() != null) {
            relatedEvents(a.incident(), info);
        }
        return info;
    }

    private static void relatedEvents(IncidentSummary incident, ObjectNode info) {
        ArrayNode related = info.putArray("related_events");
        for (IncidentMember m : incident.members()) {
            String uid = m.findingId() != null ? m.findingId()
                    : m.eventId() != null ? m.eventId() : m.rule() + "@" + m.time();
            OcsfSeverity sev = OcsfSeverity.ofDisplay(m.priority());
            related.addObject().put("uid", uid).put("title", m.rule())
                    .put("severity_id", sev.id()).put("severity", sev.caption())
                    .put("first_seen_time", m.timeMillis()).put("last_seen_time", m.timeMillis());
        }
        info.put("related_events_count", incident.members().size());
    }
}
