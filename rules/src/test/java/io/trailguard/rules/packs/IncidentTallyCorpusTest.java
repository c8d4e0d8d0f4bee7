package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.FindingIdOf;
import io.trailguard.rules.incident.FullRecompute;
import io.trailguard.rules.incident.IncidentPolicy;
import io.trailguard.rules.incident.IncidentSequence;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident sequences of the invictus-ir hour and the Stratus detonations (the project's copies under
 * {@code fixtures/data}), with the bundled packs and their policy, as the incident stage builds them: after every
 * member, the score, the version raised and the incident as it stands equal the full recompute over the members
 * ({@link FullRecompute}). Once as recorded, and once with every counted alert repeated 40 times 10 ms apart under
 * fresh event ids, which grows sequences past {@link IncidentSequence#MAX_MEMBERS} as the streaming benchmark's
 * replicated records do.
 */
class IncidentTallyCorpusTest {
    /** Members of the longest sequence {@link #sequences} last built. */
    private static int longest;

    @Test
    void keptScoresEqualTheFullRecompute() throws Exception {
        List<Alert> alerts = CorpusReplay.delivered(Packs.rules(), CorpusReplay.read(List.of(
                Paths.get("fixtures", "data", "invictus"), Paths.get("fixtures", "data", "stratus"))));
        IncidentPolicy policy = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).incidentPolicy();
        EvidenceOf evidenceOf = new EvidenceOf(SubjectActor.INSTANCE, FindingIdOf.none());
        List<Evidence> counted = new ArrayList<>();
        for (Alert a : alerts) {
            Evidence e = evidenceOf.of(a);
            if (e != null && policy.counts(e.rule(), e.priority(), e.tactics())) {
                counted.add(e);
            }
        }
        assertThat(counted).isNotEmpty();
        List<Evidence> replicated = new ArrayList<>();
        for (Evidence e : counted) {
            for (int i = 0; i < 40; i++) {
                replicated.add(new Evidence(e.rule(), e.priority(), e.eventId() + "#" + i, e.timeMillis() + 10L * i,
                        e.findingId(), e.actor(), e.account(), e.region(), e.tactics(), e.techniques()));
            }
        }
        assertThat(sequences(counted, policy)).as("versions as recorded").isPositive();
        assertThat(sequences(replicated, policy)).as("versions replicated").isPositive();
        assertThat(longest).as("longest sequence replicated").isEqualTo(IncidentSequence.MAX_MEMBERS);
    }

    /** The sequences of {@code evidence} in event-time order, every add checked; the number of versions raised. */
    private static int sequences(List<Evidence> evidence, IncidentPolicy policy) {
        List<Evidence> ordered = new ArrayList<>(evidence);
        ordered.sort(Evidence.ORDER);
        Map<String, IncidentSequence> open = new HashMap<>();
        int versions = 0;
        longest = 0;
        for (Evidence e : ordered) {
            IncidentSequence s = open.get(e.key());
            if (s == null || s.endedBefore(e, policy)) {
                s = IncidentSequence.startedBy(e);
                open.put(e.key(), s);
            }
            if (FullRecompute.add(s, e, policy) != null) {
                versions++;
            }
            longest = Math.max(longest, s.members().size());
        }
        return versions;
    }
}
