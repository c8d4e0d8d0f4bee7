package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventReference;
import io.trailguard.rules.engine.EventSubject;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.RuleGuidance;
import io.trailguard.rules.engine.RuleIdentity;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.field.EventFields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The incident alert of a raised sequence: rule {@value IncidentPolicy#RULE}, priority from the score
 * ({@link IncidentScore#incidentPriority()}), tags {@code aws, cloud, incident} plus the ATT&CK tactics and
 * techniques of its members, the event of its latest member (so it sorts where the attack stands), the principal as
 * its subject, an output line naming principal, addresses, span, tactics and counts, and the
 * {@link IncidentSummary} with every member.
 */
public final class IncidentAlerts {
    static final String DESCRIPTION = "Alerts of one principal (user, role session or access key) that together span"
            + " several ATT&CK tactics within an inactivity gap: one attack sequence, reported as one finding and"
            + " updated in place while it goes on.";

    private IncidentAlerts() {
    }

    public static Alert alert(IncidentSequence sequence, IncidentSummary s) {
        IncidentScore score = sequence.score();
        List<String> tags = new ArrayList<>(List.of("aws", "cloud", "incident"));
        for (String t : s.tactics()) {
            tags.add("attack." + t);
        }
        for (String t : s.techniques()) {
            tags.add("attack." + t);
        }
        List<Evidence> members = sequence.members();
        Evidence last = members.get(members.size() - 1);
        for (Evidence m : members) {
            if (m.timeMillis() == s.lastMillis()) {
                last = m;
            }
        }
        Actor actor = last.actor();
        RuleIdentity rule = new RuleIdentity(IncidentPolicy.RULE, score.incidentPriority(), tags, "aws_cloudtrail",
                DESCRIPTION, RuleGuidance.NONE, null);
        EventSubject subject = EventSubject.builder()
                .principalArn(actor.principalArn())
                .principalName(actor.principalName())
                .accessKeyId(actor.accessKeyId())
                .sourceIp(s.sourceAddresses().isEmpty() ? null : s.sourceAddresses().get(0))
                .build();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("incident.id", s.id());
        fields.put("incident.principal", s.principal());
        fields.put("incident.members", (long) s.members().size());
        return Alert.builder()
                .rule(rule)
                .event(EventReference.at(last.eventId(), s.lastMillis(), last.account(), last.region()))
                .subject(subject)
                .output(output(s))
                .outputFields(fields)
                .hostname(EventFields.hostname())
                .incident(s)
                .build();
    }

    /**
     * {@code Attack sequence by PRINCIPAL from ADDRESSES: N alerts of R rules over M min (FIRST..LAST), T tactics
     * (a, b, ...), K techniques, score S}.
     */
    static String output(IncidentSummary s) {
        long rules = s.members().stream().map(m -> m.rule()).distinct().count();
        long minutes = Math.round((s.lastMillis() - s.firstMillis()) / 60_000.0);
        return "Attack sequence by " + s.principal()
                + (s.sourceAddresses().isEmpty() ? "" : " from " + String.join(", ", s.sourceAddresses())) + ": "
                + s.members().size() + " alerts of " + rules + " rules over " + minutes + " min ("
                + RuleSet.isoTime(s.firstMillis()).substring(0, 19) + "Z.."
                + RuleSet.isoTime(s.lastMillis()).substring(0, 19) + "Z), " + s.tactics().size() + " tactics ("
                + String.join(", ", s.tactics()) + "), " + s.techniques().size() + " techniques, score " + s.score();
    }
}
