package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.trailguard.job.sink.aws.TestAlerts.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding ids are identities that Security Hub and OCSF outputs keep across upgrades: these are the ids of known
 * alerts of each kind (single-event, rate, incident, content), pinned, so a change to how they are computed cannot
 * change their value.
 */
class FindingIdPinTest {
    @Test
    void singleEventIds() {
        assertThat(FindingMapper.findingId(TestAlerts.single("S3 bucket policy changed", "evt-1")))
                .isEqualTo("trailguard/5291a4dbb156dcdd73cdcf5dbc2aa4df97015cb4041a968f1351be9ead355d64");
        assertThat(FindingMapper.findingId(TestAlerts.single("Règle ünïcode ✓ 🙂", "évt-2")))
                .isEqualTo("trailguard/55d890b7ddcf2f25b5efc3f281ddebd1405f0bf85a99990589461f8593d0d2b4");
        assertThat(FindingMapper.findingId(TestAlerts.single("R", "x".repeat(1234))))
                .isEqualTo("trailguard/42f19a5a090a15b64893211731270679bfce68c1e055087b5926a7b265d4efc4");
    }

    @Test
    void contentIdWithoutEventId() {
        assertThat(FindingMapper.findingId(TestAlerts.single("R", ""))).isEqualTo("trailguard/2cf3bf5a3d5844e4943a2b413af85ee3caea7015bed99e1d4c9daaef49f7abc4");
    }

    @Test
    void rateIds() {
        assertThat(FindingMapper.findingId(TestAlerts.rate("Many failures",
                "arn:aws:iam::" + ACCOUNT + ":user/bob", TestAlerts.T0, 6))).isEqualTo("trailguard/1061dde29263d022f2521543bb1068d1488cf884eef6e755d39732e2ec0d6d88");
    }

    @Test
    void incidentIds() {
        IncidentSummary s = new IncidentSummary("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", 3,
                "arn:aws:iam::" + ACCOUNT + ":user/alice", List.of("203.0.113.7"), TestAlerts.T0, TestAlerts.T0 + 60_000,
                9, List.of("persistence"), List.of("t1098"),
                List.of(new IncidentMember("R", "Warning", "evt-1", TestAlerts.T0, "trailguard/abc")));
        Alert a = TestAlerts.single("Trailguard incident", "evt-1").toBuilder().incident(s).build();
        assertThat(FindingMapper.findingId(a)).isEqualTo("trailguard/9ab9da35d371f8592f7f0e8ee48084eeceefe28502bcb32a4e177a62e188a821");
    }
}
