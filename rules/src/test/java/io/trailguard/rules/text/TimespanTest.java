package io.trailguard.rules.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimespanTest {
    @Test
    void rateTimespansTakeSecondsMinutesHoursAndDays() {
        assertThat(Timespan.millis("90s", Timespan.RATE_UNITS)).isEqualTo(90_000L);
        assertThat(Timespan.millis("5m", Timespan.RATE_UNITS)).isEqualTo(300_000L);
        assertThat(Timespan.millis("2h", Timespan.RATE_UNITS)).isEqualTo(7_200_000L);
        assertThat(Timespan.millis("1d", Timespan.RATE_UNITS)).isEqualTo(86_400_000L);
        assertThat(Timespan.millis("0s", Timespan.RATE_UNITS)).isZero();
        assertThat(Timespan.millis("999999999d", Timespan.RATE_UNITS)).isEqualTo(999_999_999L * 86_400_000L);
        for (String bad : new String[] {"1w", "1M", "1y", "1ms", "5 m", "5M", "1H", " 5m", "1000000000s", "m", "", "-1s",
                "1.5h", "PT5M"}) {
            assertThat(Timespan.millis(bad, Timespan.RATE_UNITS)).as(bad).isEqualTo(-1L);
        }
        assertThat(Timespan.millis(null, Timespan.RATE_UNITS)).isEqualTo(-1L);
    }

    /** pySigma's SigmaCorrelationTimespanAttribute: s, m, h, d, w, M (2,629,746 s) and y (31,556,952 s). */
    @Test
    void sigmaTimespansAddWeeksMonthsAndYears() {
        assertThat(Timespan.millis("10m", Timespan.SIGMA_UNITS)).isEqualTo(600_000L);
        assertThat(Timespan.millis("1w", Timespan.SIGMA_UNITS)).isEqualTo(604_800_000L);
        assertThat(Timespan.millis("1M", Timespan.SIGMA_UNITS)).isEqualTo(2_629_746_000L);
        assertThat(Timespan.millis("2y", Timespan.SIGMA_UNITS)).isEqualTo(2 * 31_556_952_000L);
        assertThat(Timespan.millis("1Y", Timespan.SIGMA_UNITS)).isEqualTo(-1L);
        assertThat(Timespan.millis("1x", Timespan.SIGMA_UNITS)).isEqualTo(-1L);
    }
}
