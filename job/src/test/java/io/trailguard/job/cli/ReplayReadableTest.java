package io.trailguard.job.cli;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.incident.IncidentPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay} of the project's invictus-ir hour through the job in a MiniCluster (its own, at the parallelism
 * {@code --set parallelism=N} gives): the same bytes on stdout whatever the parallelism and however often it runs,
 * alerts in event-time order, the one incident of the compromised user among them, a summary on stderr, and
 * {@code --format text}.
 */
class ReplayReadableTest {
    static final Path INVICTUS = Paths.get("..", "rules", "fixtures", "data", "invictus");
    static final String ATTACKER = "arn:aws:iam::123837392027:user/bert-jan";

    static CliTest.Result p1;
    static CliTest.Result p2;

    static CliTest.Result replay(String... extra) {
        String[] base = {"replay", "--input", INVICTUS.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliTest.Result r = CliTest.run(args);
        assertThat(r.code).as(r.err).isZero();
        return r;
    }

    @BeforeAll
    static void run() {
        p1 = replay("--set", "parallelism=1");
        p2 = replay("--set", "parallelism=2");
    }

    @Test
    void twoReplaysOfTheSameInputAreByteIdentical() {
        assertThat(p1.out).isNotEmpty();
        assertThat(p2.out).isEqualTo(p1.out);
        assertThat(replay("--set", "parallelism=2").out).isEqualTo(p1.out);
    }

    @Test
    void alertsComeInEventTimeThenRuleThenEventIdOrder() {
        List<Alert> alerts = p1.alerts();
        for (int i = 1; i < alerts.size(); i++) {
            Alert a = alerts.get(i - 1);
            Alert b = alerts.get(i);
            String ka = String.format("%020d|%s|%s", a.event().timeMillis(), a.rule().name(), a.event().id());
            String kb = String.format("%020d|%s|%s", b.event().timeMillis(), b.rule().name(), b.event().id());
            assertThat(ka.compareTo(kb)).as(ka + " before " + kb).isLessThanOrEqualTo(0);
        }
    }

    @Test
    void theIncidentOfTheCompromisedUserArrivesAtTheOutput() throws Exception {
        List<Alert> incidents = p1.alerts().stream().filter(a -> a.incident() != null).collect(Collectors.toList());
        assertThat(incidents).hasSize(1);
        Alert a = incidents.get(0);
        assertThat(a.rule().name()).isEqualTo(IncidentPolicy.RULE);
        IncidentSummary s = a.incident();
        assertThat(s.principal()).isEqualTo(ATTACKER);
        assertThat(s.sourceAddresses()).containsExactly("192.168.10.20");
        // the incident the plain-Java engine and correlator find in the same files
        List<IncidentSummary> expected = InvictusExpectation.incidents(INVICTUS);
        assertThat(expected).hasSize(1);
        IncidentSummary e = expected.get(0);
        assertThat(s.id()).isEqualTo(e.id());
        assertThat(InvictusExpectation.members(s)).isEqualTo(InvictusExpectation.members(e)).hasSizeGreaterThan(20);
        assertThat(s.techniques()).isEqualTo(e.techniques());
        assertThat(s.tactics()).isEqualTo(e.tactics());
        assertThat(s.firstMillis()).isEqualTo(e.firstMillis());
        assertThat(s.lastMillis()).isEqualTo(e.lastMillis());
        assertThat(s.version()).isEqualTo(e.version());
        // members are named by the ids of their own Security Hub findings
        assertThat(s.members()).allSatisfy(m -> assertThat(m.findingId()).startsWith("trailguard/"));
    }

    @Test
    void theSummaryCountsByPriorityAndRuleAndNamesTheIncident() {
        assertThat(p1.err).contains("Alerts by priority:\n   Critical: ");
        assertThat(p1.err).contains("Alerts by rule:\n");
        assertThat(p1.err).contains("   " + IncidentPolicy.RULE + ": 1\n");
        assertThat(p1.err).containsPattern("Incidents: 1\n   Critical " + java.util.regex.Pattern.quote(ATTACKER)
                + " from 192\\.168\\.10\\.20, 2023-07-10T\\d\\d:\\d\\d:\\d\\dZ\\.\\.2023-07-10T");
        assertThat(p1.err).contains("Dead letters by reason:\n   (none)");
        assertThat(p1.summary(5)).isEqualTo(p1.alerts().size());
    }

    @Test
    void formatTextPrintsOneReadableLinePerAlert() {
        CliTest.Result text = replay("--format", "text");
        List<String> lines = text.outLines();
        assertThat(lines).hasSize(p1.alerts().size());
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(
                "2023-07-10T\\d\\d:\\d\\d:\\d\\dZ (Emergency|Alert|Critical|Error|Warning|Notice|Informational|Debug)"
                        + " +\\S.* principal=\\S+ src=\\S+: .*"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Critical      " + IncidentPolicy.RULE
                + " principal=" + ATTACKER + " src=192.168.10.20: Attack sequence by " + ATTACKER));
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        CliTest.Result r = CliTest.run("replay", "--input", INVICTUS.toString(), "--format", "yaml");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("replay: --format: unknown format 'yaml'; available: json, text");
    }
}
