package io.trailguard.rules.incident;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttackTagsTest {
    @Test
    void sigmaStyleTagsOfTheBundledPacks() {
        List<String> tags = List.of("aws", "attack.defense-impairment", "attack.t1685.002", "cis:4.5",
                "attack.g0016", "attack.s0002", "stratus:aws.defense-evasion.cloudtrail-stop", "attack.T1098");
        assertThat(AttackTags.tactics(tags)).containsExactly("defense-impairment");
        assertThat(AttackTags.techniques(tags)).containsExactly("t1685.002", "t1098");
    }

    @Test
    void falcoStyleTagsOfUpstreamRules() {
        List<String> tags = List.of("cloud", "mitre_credential_access", "T1552", "mitre_persistence", "t1098");
        assertThat(AttackTags.tactics(tags)).containsExactly("credential-access", "persistence");
        assertThat(AttackTags.techniques(tags)).containsExactly("t1552");
    }
}
