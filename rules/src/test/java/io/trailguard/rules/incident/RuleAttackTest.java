package io.trailguard.rules.incident;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The kept tactics and techniques of a tag list are {@link AttackTags}'s, whichever copy of the list asks. */
class RuleAttackTest {
    static final List<List<String>> TAGS = List.of(
            List.of("aws", "attack.privilege-escalation", "mitre_persistence", "attack.t1098.001", "T1078"),
            List.of("attack.g0016", "attack.s0002", "attack.t1098", "t1098", "Attack.Defense-Impairment"),
            List.of("mitre_credential_access", "attack.credential-access", "attack.t1552.005", "attack.t1552.005"),
            List.of(), List.of("cloud", "aws_cloudtrail"));

    @Test
    void keptAnswersAreAttackTagsAnswers() {
        for (List<String> tags : TAGS) {
            RuleAttack kept = RuleAttack.of(tags);
            assertThat(kept.tactics()).as("%s", tags).isEqualTo(AttackTags.tactics(tags));
            assertThat(kept.techniques()).as("%s", tags).isEqualTo(AttackTags.techniques(tags));
            // a copy of the list (as every deserialised alert carries) gets the same answers
            RuleAttack again = RuleAttack.of(new ArrayList<>(tags));
            assertThat(again.tactics()).isEqualTo(kept.tactics());
            assertThat(again.techniques()).isEqualTo(kept.techniques());
        }
    }

    @Test
    void manyTagListsStillGiveTheirOwnAnswers() {
        for (int i = 0; i < RuleAttack.MAX_KEPT + 100; i++) {
            List<String> tags = List.of("attack.t1" + (i % 1000 + 100 > 999 ? 999 : i % 1000 + 100), "x" + i,
                    i % 2 == 0 ? "attack.discovery" : "mitre_exfiltration");
            RuleAttack a = RuleAttack.of(tags);
            assertThat(a.tactics()).isEqualTo(AttackTags.tactics(tags));
            assertThat(a.techniques()).isEqualTo(AttackTags.techniques(tags));
        }
    }
}
