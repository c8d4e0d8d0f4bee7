package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventReference;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.FindingIdOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.IncidentPolicy;
import io.trailguard.rules.incident.IncidentSequence;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IncidentCorrelator#latestIncidents} gives what {@link IncidentCorrelator#latest} of
 * {@link IncidentCorrelator#incidents} gives, line for line, on the bundled packs' alerts of the invictus hour and on
 * those alerts grown past {@link IncidentSequence#MAX_MEMBERS} members, with repeats, and with a second sequence of
 * the same principal after the inactivity gap.
 */
class LatestIncidentsTest {
    static List<Alert> alerts;
    static IncidentCorrelator correlator;

    @BeforeAll
    static void load() throws Exception {
        List<CloudTrailEvent> events = CorpusReplay.read(List.of(InvictusIncidentTest.INVICTUS));
        alerts = CorpusReplay.delivered(Packs.rules(), events);
        IncidentPolicy policy = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).incidentPolicy();
        correlator = new IncidentCorrelator(policy, new EvidenceOf(SubjectActor.INSTANCE, FindingIdOf.none()));
    }

    @Test
    void theInvictusIncident() {
        assertSameAsEveryVersionsLast(alerts, 1);
    }

    @Test
    void pastTheMemberLimitWithRepeatsAndASecondSequence() {
        List<Alert> grown = new ArrayList<>(alerts);
        for (int copy = 1; copy <= 40; copy++) {
            grown.addAll(shifted(alerts, "copy" + copy, copy * 1000L));
        }
        grown.addAll(alerts); // repeats: the same alerts again
        grown.addAll(shifted(alerts, "next-day", 86_400_000L)); // after the gap: a new sequence
        List<Alert> latest = assertSameAsEveryVersionsLast(grown, 2);
        assertThat(latest.get(0).incident().members()).hasSize(IncidentSequence.MAX_MEMBERS);
    }

    private List<Alert> assertSameAsEveryVersionsLast(List<Alert> input, int incidents) {
        List<Alert> expected = IncidentCorrelator.latest(correlator.incidents(input));
        List<Alert> latest = correlator.latestIncidents(input);
        assertThat(latest).hasSize(incidents);
        assertThat(lines(latest)).containsExactlyElementsOf(lines(expected));
        assertThat(latest).extracting(a -> a.incident().version())
                .containsExactlyElementsOf(expected.stream().map(a -> a.incident().version())
                        .collect(Collectors.toList()));
        return latest;
    }

    /** The alerts as other alerts: other event ids, {@code millis} later. */
    private static List<Alert> shifted(List<Alert> from, String tag, long millis) {
        List<Alert> out = new ArrayList<>();
        for (Alert a : from) {
            EventReference e = a.event();
            out.add(a.toBuilder().event(EventReference.at(e.id() + "-" + tag, e.timeMillis() + millis, e.account(),
                    e.region())).build());
        }
        return out;
    }

    private static List<String> lines(List<Alert> as) {
        return as.stream().map(Alert::toJson).collect(Collectors.toList());
    }
}
