package io.trailguard.rules.incident;

import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentSequenceTest {
    static final String ARN = "arn:aws:iam::111122223333:user/alice";
    static final Actor ALICE = new Actor(ARN, "AKIAEXAMPLE", "alice", "203.0.113.7");
    static final IncidentPolicy POLICY = IncidentPolicy.defaults();
    static final long T0 = 1_700_000_000_000L;

    static Evidence ev(String rule, Priority p, long offsetSeconds, String tactic, String technique) {
        return new Evidence(rule, p, "ev-" + rule.hashCode() + "-" + offsetSeconds, T0 + offsetSeconds * 1000,
                "finding-" + rule, ALICE, "111122223333", "us-east-1", List.of(tactic), List.of(technique));
    }

    @Test
    void aSequenceBecomesAnIncidentWhenEveryThresholdIsReached() {
        IncidentSequence s = start(ev("Discovery Burst", Priority.WARNING, 0, "discovery", "t1580"));
        assertThat(s.raised()).isFalse();
        // two rules, two tactics: not yet (min 3 rules, 3 tactics, score 10)
        assertThat(s.add(ev("Secrets Burst", Priority.WARNING, 60, "credential-access", "t1552"), POLICY)).isNull();
        // a third rule and tactic, but only NOTICE: score 2+2+1 + 3 techniques = 8 < 10
        assertThat(s.add(ev("User Created", Priority.NOTICE, 120, "persistence", "t1136.003"), POLICY)).isNull();
        assertThat(s.score().score()).isEqualTo(8);
        // a CRITICAL step of a fourth tactic: 2+2+1+4 + 4 = 13
        IncidentSummary first = s.add(ev("Trail Stopped", Priority.CRITICAL, 180, "defense-impairment",
                "t1685.002"), POLICY);
        assertThat(first).isNotNull();
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.score()).isEqualTo(13);
        assertThat(first.principal()).isEqualTo(ARN);
        assertThat(first.sourceAddresses()).containsExactly("203.0.113.7");
        assertThat(first.tactics()).containsExactly("discovery", "credential-access", "persistence",
                "defense-impairment");
        assertThat(first.techniques()).containsExactly("t1580", "t1552", "t1136.003", "t1685.002");
        assertThat(first.firstMillis()).isEqualTo(T0);
        assertThat(first.lastMillis()).isEqualTo(T0 + 180_000);
        assertThat(first.members()).extracting(IncidentMember::rule)
                .containsExactly("Discovery Burst", "Secrets Burst", "User Created", "Trail Stopped");
        assertThat(first.members()).extracting(IncidentMember::findingId).contains("finding-Trail Stopped");
    }

    @Test
    void anIncidentIsUpdatedInPlaceWhileTheAttackGoesOn() {
        IncidentSequence s = raised();
        IncidentSummary v1 = s.current();
        IncidentSummary v2 = s.add(ev("Admin Policy Attached", Priority.WARNING, 600, "privilege-escalation",
                "t1098.003"), POLICY);
        IncidentSummary v3 = s.add(ev("Bucket Shared", Priority.WARNING, 1200, "exfiltration", "t1537"), POLICY);
        assertThat(v2.id()).isEqualTo(v1.id());
        assertThat(v3.id()).isEqualTo(v1.id());
        assertThat(List.of(v1.version(), v2.version(), v3.version())).containsExactly(1, 2, 3);
        assertThat(v3.members()).hasSize(v1.members().size() + 2);
        assertThat(v3.lastMillis()).isEqualTo(T0 + 1_200_000);
        assertThat(v3.tactics()).endsWith("privilege-escalation", "exfiltration");
    }

    @Test
    void aRepeatedAlertChangesNothingAndALateOneTakesItsPlaceInTime() {
        IncidentSequence s = raised();
        Evidence again = s.members().get(1);
        assertThat(s.add(again, POLICY)).isNull();
        IncidentSummary late = s.add(ev("Late Alert", Priority.NOTICE, 30, "discovery", "t1526"), POLICY);
        assertThat(late.members().stream().map(IncidentMember::rule).collect(Collectors.toList()))
                .containsExactly("Discovery Burst", "Late Alert", "Secrets Burst", "User Created", "Trail Stopped");
        assertThat(late.version()).isEqualTo(2);
    }

    @Test
    void theSequenceEndsAfterTheInactivityGap() {
        IncidentSequence s = raised();
        long gap = POLICY.gapMillis();
        assertThat(gap).isEqualTo(30 * 60_000L);
        assertThat(s.endMillis(POLICY)).isEqualTo(T0 + 180_000 + gap);
        assertThat(s.endedBefore(ev("Next", Priority.NOTICE, 180 + gap / 1000, "impact", "t1485"), POLICY)).isFalse();
        assertThat(s.endedBefore(ev("Next", Priority.NOTICE, 181 + gap / 1000, "impact", "t1485"), POLICY)).isTrue();
    }

    @Test
    void theIdDependsOnPrincipalAndFirstMemberOnly() {
        IncidentSequence a = raised();
        IncidentSequence b = raised();
        assertThat(a.id()).isEqualTo(b.id()).hasSize(64);
        IncidentSequence other = start(new Evidence("Discovery Burst", Priority.WARNING,
                a.members().get(0).eventId(), T0, null, new Actor("arn:aws:iam::111122223333:user/bob", null, null,
                null), null, null, List.of("discovery"), List.of()));
        assertThat(other.id()).isNotEqualTo(a.id());
    }

    @Test
    void manyNoticesOfOneRuleAreNoIncident() {
        IncidentSequence s = start(ev("Noisy", Priority.CRITICAL, 0, "impact", "t1485"));
        List<IncidentSummary> out = new ArrayList<>();
        for (int i = 1; i < 50; i++) {
            IncidentSummary x = s.add(ev("Noisy", Priority.CRITICAL, i, "impact", "t1485"), POLICY);
            if (x != null) {
                out.add(x);
            }
        }
        assertThat(out).isEmpty();
        assertThat(s.members()).hasSize(50);
    }

    static IncidentSequence start(Evidence first) {
        IncidentSequence s = IncidentSequence.startedBy(first);
        assertThat(s.add(first, POLICY)).isNull();
        return s;
    }

    static IncidentSequence raised() {
        IncidentSequence s = start(ev("Discovery Burst", Priority.WARNING, 0, "discovery", "t1580"));
        s.add(ev("Secrets Burst", Priority.WARNING, 60, "credential-access", "t1552"), POLICY);
        s.add(ev("User Created", Priority.NOTICE, 120, "persistence", "t1136.003"), POLICY);
        assertThat(s.add(ev("Trail Stopped", Priority.CRITICAL, 180, "defense-impairment", "t1685.002"), POLICY))
                .isNotNull();
        return s;
    }
}
