package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.Priority;
import software.amazon.awssdk.services.securityhub.model.RelatedFinding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An incident finding's {@code RelatedFindings}: its member alerts' own findings, by the ids they were imported with
 * ({@link FindingMapper#findingId}, carried by each {@link IncidentMember}) under the same product ARN. Security
 * Hub takes at most {@value #MAX} (the API model's limit of {@code AwsSecurityFinding.RelatedFindings}): the most
 * severe members are kept, earlier before later at equal priority, and listed in event-time order. Members without
 * a finding id are left out; the full list stays in the alert JSON and the OCSF finding.
 */
final class FindingRelated {
    static final int MAX = 10;

    private FindingRelated() {
    }

    static List<RelatedFinding> of(IncidentSummary incident, String productArn) {
        List<IncidentMember> withIds = new ArrayList<>();
        for (IncidentMember m : incident.members()) {
            if (m.findingId() != null && !m.findingId().isBlank()) {
                withIds.add(m);
            }
        }
        Comparator<IncidentMember> bySeverity = Comparator.comparingInt(FindingRelated::severityRank)
                .thenComparingLong(IncidentMember::timeMillis);
        withIds.sort(bySeverity);
        List<IncidentMember> kept = new ArrayList<>(withIds.subList(0, Math.min(MAX, withIds.size())));
        kept.sort(Comparator.comparingLong(IncidentMember::timeMillis));
        List<RelatedFinding> out = new ArrayList<>();
        for (IncidentMember m : kept) {
            out.add(RelatedFinding.builder().id(m.findingId()).productArn(productArn).build());
        }
        return out;
    }

    private static int severityRank(IncidentMember m) {
        Priority p = Priority.parse(m.priority());
        return p == null ? Priority.values().length : p.ordinal();
    }
}
