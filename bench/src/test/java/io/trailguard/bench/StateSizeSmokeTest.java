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

    /** The operator's state with its timers: a key of four events holds one cleanup timer, and the snapshot has it. */
    @Test
    void measuresTheOperatorsStateWithOneTimerPerKey() throws Exception {
        OperatorStateSize m = new OperatorStateSize();
        OperatorStateSize.Figures one = m.measure(200, 1);
        OperatorStateSize.Figures four = m.measure(200, 4);
        assertThat(one.timersPerKey).isEqualTo(1.0);
        assertThat(four.timersPerKey).isEqualTo(1.0);
        // a WindowState value alone serializes to more than 100 bytes; four entries to more than one
        assertThat(one.serializedPerKey).isGreaterThan(100);
        assertThat(four.serializedPerKey).isGreaterThan(one.serializedPerKey);
        assertThat(four.line()).contains("200 keys, 4 event(s) per key");
    }
}
