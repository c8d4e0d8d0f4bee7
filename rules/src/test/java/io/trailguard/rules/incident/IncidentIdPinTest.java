package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Priority;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incident ids are identities outputs keep across upgrades (every version of an incident updates one finding): the
 * ids of known first members, pinned, so a change to how they are computed cannot change their value.
 */
class IncidentIdPinTest {
    @Test
    void idsOfKnownFirstMembers() {
        assertThat(IncidentSequence.idOf(IncidentSequenceTest.ev("Discovery Burst", Priority.WARNING, 0, "discovery",
                "t1580"))).isEqualTo("15934273239a83f446f8b5be024d4c2c2e34711efc1c335ce8c218a8601faf86");
        Evidence unicode = new Evidence("Règle ✓ 🙂", Priority.CRITICAL, null, 1_700_000_000_123L, null,
                new Actor("arn:aws:iam::111122223333:user/élodie", null, null, null), null, null,
                List.of("persistence"), List.of());
        assertThat(IncidentSequence.idOf(unicode)).isEqualTo("a2ac2a1ab338406b9dbe7c3b1cf6128557a4b4eac339d1b3a7f7f0af05b30e19");
    }
}
