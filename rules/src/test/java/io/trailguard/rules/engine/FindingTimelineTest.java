package io.trailguard.rules.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FindingTimelineTest {
    @Test
    void aNewFindingIsCreatedAndUpdatedNow() {
        FindingTimes t = FindingTimeline.next(null, 1_000L);
        assertThat(t).isEqualTo(new FindingTimes(1_000L, 1_000L));
        assertThat(t.isUpdate()).isFalse();
    }

    @Test
    void aLaterVersionKeepsCreatedAtAndIsUpdatedNow() {
        FindingTimes first = FindingTimeline.next(null, 1_000L);
        FindingTimes second = FindingTimeline.next(first, 5_000L);
        assertThat(second).isEqualTo(new FindingTimes(1_000L, 5_000L));
        assertThat(second.isUpdate()).isTrue();
    }

    @Test
    void updatedAtRisesStrictlyWhenTheClockStandsStillOrGoesBack() {
        FindingTimes first = FindingTimeline.next(null, 1_000L);
        FindingTimes same = FindingTimeline.next(first, 1_000L);
        FindingTimes back = FindingTimeline.next(same, 400L);
        assertThat(same).isEqualTo(new FindingTimes(1_000L, 1_001L));
        assertThat(back).isEqualTo(new FindingTimes(1_000L, 1_002L));
    }

    @Test
    void theTimesOfAnAlertAreNotPartOfItsJsonLine() {
        Alert a = Alert.builder()
                .rule(new RuleIdentity("R", Priority.WARNING, java.util.List.of(), "aws_cloudtrail", null,
                        RuleGuidance.NONE, null))
                .event(EventReference.at("e-1", 1_000L, "111122223333", "us-east-1"))
                .build();
        Alert stamped = a.withFindingTimes(new FindingTimes(2_000L, 3_000L));
        assertThat(stamped.findingTimes()).isEqualTo(new FindingTimes(2_000L, 3_000L));
        assertThat(stamped.toJson()).isEqualTo(a.toJson());
        assertThat(stamped).isNotEqualTo(a);
        assertThat(stamped.toBuilder().build()).isEqualTo(stamped);
    }
}
