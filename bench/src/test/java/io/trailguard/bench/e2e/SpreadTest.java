package io.trailguard.bench.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Min, median and max of repeated runs, whatever order they came in. */
class SpreadTest {
    @Test
    void oddCountTakesTheMiddleValue() {
        Spread s = Spread.of(0.9, 0.3, 0.5);
        assertThat(s.min).isEqualTo(0.3);
        assertThat(s.median).isEqualTo(0.5);
        assertThat(s.max).isEqualTo(0.9);
        assertThat(s.count).isEqualTo(3);
        assertThat(s.text("%.2f")).isEqualTo("0.30 / 0.50 / 0.90");
    }

    @Test
    void evenCountTakesTheMeanOfTheMiddleTwo() {
        Spread s = Spread.of(4, 1, 2, 10);
        assertThat(s.median).isEqualTo(3.0);
        assertThat(Spread.of(7).text("%.0f")).isEqualTo("7 / 7 / 7");
    }

    @Test
    void refusesNoValues() {
        assertThatThrownBy(Spread::of).isInstanceOf(IllegalArgumentException.class);
    }
}
