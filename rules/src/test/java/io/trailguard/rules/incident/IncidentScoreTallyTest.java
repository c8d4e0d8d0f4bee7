package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sequence's score, versions and listing, kept as members are added, equal the full recompute over its members
 * ({@link FullRecompute}) after every add: members in event-time order, out of order (inserted before the last),
 * repeated, at equal times, beyond {@link IncidentSequence#MAX_MEMBERS}, and after a restore from state.
 */
class IncidentScoreTallyTest {
    static final long T0 = 1_700_000_000_000L;
    static final String[] TACTICS = {"discovery", "persistence", "credential-access", "defense-impairment",
            "privilege-escalation", "exfiltration", "impact"};
    static final String[] ADDRESSES = {"203.0.113.7", "198.51.100.2", "192.0.2.9", null};
    static final Priority[] PRIORITIES = Priority.values();
    static final List<IncidentPolicy> POLICIES = List.of(IncidentPolicy.defaults(),
            new IncidentPolicy(3_600_000, 1, 1, 0, Priority.DEBUG, Set.of()),
            new IncidentPolicy(3_600_000, 4, 4, 18, Priority.DEBUG, Set.of()));

    static Evidence random(Random r, long time) {
        int rule = r.nextInt(12);
        List<String> tactics = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            String t = TACTICS[r.nextInt(TACTICS.length)];
            if (!tactics.contains(t)) {
                tactics.add(t);
            }
        }
        List<String> techniques = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            String t = "t1" + (100 + r.nextInt(20)) + (r.nextBoolean() ? "" : ".00" + r.nextInt(4));
            if (!techniques.contains(t)) {
                techniques.add(t);
            }
        }
        Actor actor = new Actor("arn:aws:iam::111122223333:user/alice", null, null,
                ADDRESSES[r.nextInt(ADDRESSES.length)]);
        return new Evidence("Rule " + rule, PRIORITIES[r.nextInt(PRIORITIES.length)],
                r.nextInt(20) == 0 ? null : "ev-" + r.nextInt(100_000), time, "trailguard/f" + rule, actor,
                "111122223333", "us-east-1", tactics, techniques);
    }

    @Test
    void inEventTimeOrder() {
        Random r = new Random(1);
        for (int run = 0; run < 60; run++) {
            IncidentPolicy p = POLICIES.get(run % POLICIES.size());
            List<Evidence> in = new ArrayList<>();
            long t = T0;
            for (int i = 0, n = 1 + r.nextInt(run < 6 ? 700 : 80); i < n; i++) {
                t += r.nextInt(4) == 0 ? 0 : r.nextInt(5_000); // equal times too
                in.add(random(r, t));
            }
            in.sort(Evidence.ORDER);
            feed(in, p, r);
        }
    }

    @Test
    void outOfOrderRepeatedAndRestored() {
        Random r = new Random(2);
        for (int run = 0; run < 60; run++) {
            IncidentPolicy p = POLICIES.get(run % POLICIES.size());
            List<Evidence> in = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(run < 6 ? 700 : 80); i < n; i++) {
                in.add(random(r, T0 + r.nextInt(600_000)));
            }
            // mostly in order, some swapped (inserted before the last member), some delivered twice
            in.sort(Evidence.ORDER);
            for (int i = 0; i < in.size() / 5; i++) {
                Collections.swap(in, r.nextInt(in.size()), r.nextInt(in.size()));
            }
            for (int i = 0; i < in.size() / 10; i++) {
                in.add(r.nextInt(in.size()), in.get(r.nextInt(in.size())));
            }
            feed(in, p, r);
        }
    }

    /** Adds {@code in} to one sequence, checking every add; now and then the sequence is restored from its state. */
    private static void feed(List<Evidence> in, IncidentPolicy p, Random r) {
        IncidentSequence s = IncidentSequence.startedBy(in.get(0));
        int raised = 0;
        for (Evidence e : in) {
            if (FullRecompute.add(s, e, p) != null) {
                raised++;
            }
            if (r.nextInt(50) == 0) {
                s = new IncidentSequence(s.key(), s.id(), s.members(), s.version(), s.lastMillis(), s.unlisted());
            }
        }
        assertThat(s.version()).isEqualTo(raised);
        assertThat(s.members().size()).isLessThanOrEqualTo(IncidentSequence.MAX_MEMBERS);
    }
}
