package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.FindingIdOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.IncidentPolicy;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident stage over the project's copy of the invictus-ir hour ({@code fixtures/data/invictus}, see
 * {@code data/SOURCES.md}): the alerts of the bundled packs, correlated with the packs' incident policy, give one
 * incident, for the IAM user whose keys ran the Stratus techniques, and none for the role sessions the techniques
 * assumed or for the background traffic.
 */
class InvictusIncidentTest {
    static final Path INVICTUS = Paths.get("fixtures", "data", "invictus");
    static final String ATTACKER = "arn:aws:iam::123837392027:user/bert-jan";

    static List<Alert> alerts;
    static List<Alert> versions;
    static IncidentSummary incident;

    @BeforeAll
    static void correlate() throws Exception {
        List<CloudTrailEvent> events = CorpusReplay.read(List.of(INVICTUS));
        alerts = CorpusReplay.delivered(Packs.rules(), events);
        IncidentPolicy policy = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).incidentPolicy();
        versions = new IncidentCorrelator(policy, new EvidenceOf(SubjectActor.INSTANCE, FindingIdOf.none()))
                .incidents(alerts);
        List<Alert> latest = IncidentCorrelator.latest(versions);
        assertThat(latest).as("incidents").hasSize(1);
        incident = latest.get(0).incident();
    }

    @Test
    void oneIncidentForTheCompromisedUser() {
        assertThat(incident.principal()).isEqualTo(ATTACKER);
        assertThat(incident.sourceAddresses()).containsExactly("192.168.10.20");
        assertThat(IncidentCorrelator.latest(versions).get(0).rule().priority()).isEqualTo(Priority.CRITICAL);
        assertThat(incident.members()).hasSize(MEMBERS);
        assertThat(time(incident.firstMillis())).isEqualTo(FIRST);
        assertThat(time(incident.lastMillis())).isEqualTo(LAST);
        assertThat(incident.tactics()).containsExactlyElementsOf(TACTICS);
        assertThat(incident.techniques()).containsExactlyElementsOf(TECHNIQUES);
        assertThat(incident.score()).isEqualTo(32);
        // raised at the sixth member (the CRITICAL event-selector change), then updated in place with every further
        // member: 29 versions of one incident
        assertThat(versions.get(0).incident().members()).extracting(IncidentMember::rule).endsWith(
                "CloudTrail Event Selectors Reduce Logging").hasSize(6);
        assertThat(versions).hasSize(29);
        assertThat(versions).extracting(a -> a.incident().id()).containsOnly(incident.id());
        assertThat(versions).extracting(a -> a.incident().version())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed()
                        .collect(Collectors.toList()));
    }

    @Test
    void itNamesMostOfTheTechniquesRun() {
        // the Stratus techniques detonated by the user (the stratus:* tags of the alerts on its own calls)
        Set<String> run = stratus(alerts.stream().filter(a -> ATTACKER.equals(a.subject().principalArn()))
                .collect(Collectors.toList()));
        Set<String> named = stratus(alerts.stream().filter(a -> incident.members().stream()
                .anyMatch(m -> m.rule().equals(a.rule().name()) && java.util.Objects.equals(m.eventId(),
                        a.event().id()))).collect(Collectors.toList()));
        assertThat(named).isEqualTo(run).hasSize(22);
        // of the 28 Stratus techniques the packs detect in the hour; the other six ran as role sessions the
        // techniques assumed (password data, user data, leaving the organization, unusual instances, the stolen
        // instance credentials) or as the user a technique created (console login without MFA)
        assertThat(stratus(alerts)).hasSize(28).containsAll(named);
    }

    @Test
    void theDigestsAndOtherPrincipalsAreNotMembers() {
        assertThat(incident.members()).extracting(IncidentMember::priority).doesNotContain("Informational");
        for (IncidentMember m : incident.members()) {
            Alert a = alerts.stream().filter(x -> x.rule().name().equals(m.rule())
                    && java.util.Objects.equals(x.event().id(), m.eventId())).findFirst().orElseThrow();
            assertThat(a.subject().principalArn()).isEqualTo(ATTACKER);
        }
    }

    static Set<String> stratus(List<Alert> as) {
        Set<String> out = new TreeSet<>();
        for (Alert a : as) {
            for (String t : a.rule().tags()) {
                if (t.startsWith("stratus:")) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    static String time(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    static final int MEMBERS = 34;
    static final String FIRST = "2023-07-10T11:57:16Z";
    static final String LAST = "2023-07-10T12:28:24Z";
    static final List<String> TACTICS = List.of("execution", "credential-access", "defense-impairment", "impact",
            "persistence", "privilege-escalation", "initial-access", "exfiltration");
    static final List<String> TECHNIQUES = List.of("t1651", "t1552", "t1555.006", "t1685.002", "t1485", "t1098.003",
            "t1190", "t1686.001", "t1537", "t1490", "t1098", "t1098.001", "t1546", "t1525", "t1648");
}
