package io.trailguard.bench;

import io.trailguard.rules.aggregate.Interner;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.RuleSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** StateSizeMain runs on a tiny key count (correctness, not size targets). */
class StateSizeSmokeTest {
    @Test
    void measuresATinyRun() throws Exception {
        RuleSet rules = RuleSets.full();
        Signal s = StateSizeMain.signal(rules);
        assertThat(s.group).hasSize(1);
        Signal sent = StateSizeMain.signalOfKey(s, 1, true);
        Signal delivered = new StateSizeMain.Wire().deliver(sent);
        assertThat(delivered.key()).isEqualTo(sent.key());
        WindowState ws = StateSizeMain.state(rules.rule(s.rule), delivered, new Interner(Interner.DEFAULT_SLOTS));
        assertThat(ws.size).isEqualTo(1);
        assertThat(ws.countedUnder(s.fingerprint)).isTrue();
        // the state gives back what the signal carried
        WindowEntry e = ws.entry(0);
        assertThat(e.eventId()).isEqualTo(sent.eventId);
        assertThat(e.time).isEqualTo(sent.time);
        for (int i = 0; i < sent.outputValues.length; i++) {
            assertThat(e.outputValue(i, Signal.groupOf(sent.key()))).isEqualTo(sent.outputValues[i]);
        }
        StateSizeMain.main(new String[] {"1000"});
    }
}
