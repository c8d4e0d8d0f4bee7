package io.trailguard.bench;

import io.trailguard.rules.aggregate.Signal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** StateSizeMain runs on a tiny key count (correctness, not size targets). */
class StateSizeSmokeTest {
    @Test
    void measuresATinyRun() throws Exception {
        Signal s = StateSizeMain.signal();
        assertThat(s.group).hasSize(1);
        assertThat(StateSizeMain.state(s, 1).entries).hasSize(1);
        StateSizeMain.main(new String[] {"1000"});
    }
}
