package io.trailguard.rules.incident;

import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incident sequence's answers computed over all its members every time ({@link IncidentScore#of}, the members
 * listed afresh), against which the sequence's own answers, kept as members are added, are checked.
 */
public final class FullRecompute {
    private FullRecompute() {
    }

    /** The version {@code version} of {@code s}'s incident as its members stand, recomputed from them. */
    public static IncidentSummary summary(IncidentSequence s, int version, long lastMillis) {
        IncidentScore score = IncidentScore.of(s.members());
        List<IncidentMember> listed = new ArrayList<>();
        LinkedHashSet<String> addresses = new LinkedHashSet<>();
        for (Evidence m : s.members()) {
            listed.add(m.member());
            if (m.actor().sourceAddress() != null) {
                addresses.add(m.actor().sourceAddress());
            }
        }
        return new IncidentSummary(s.id(), version, s.key(), new ArrayList<>(addresses),
                s.members().get(0).timeMillis(), lastMillis, score.score(), score.tactics(), score.techniques(),
                listed);
    }

    /**
     * {@code s.add(e, p)}, checked against the full recompute: the version raised (or none), the score and the
     * incident as it stands afterwards. Returns what the add returned.
     */
    public static IncidentSummary add(IncidentSequence s, Evidence e, IncidentPolicy p) {
        int before = s.members().size();
        boolean wasRaised = s.raised();
        IncidentSummary raised = s.add(e, p);
        boolean inserted = s.members().size() > before;
        IncidentScore full = IncidentScore.of(s.members());
        boolean expectRaised = inserted && (wasRaised || full.crosses(p));
        assertThat(raised != null).as("raised by %s", e).isEqualTo(expectRaised);
        if (raised != null) {
            assertThat(raised).isEqualTo(summary(s, s.version(), s.lastMillis()));
            assertThat(s.lastRaised()).isEqualTo(raised);
        }
        if (s.raised()) {
            assertThat(s.current()).isEqualTo(summary(s, s.version(), s.lastMillis()));
        }
        IncidentScore kept = s.score();
        assertThat(kept.score()).isEqualTo(full.score());
        assertThat(kept.rules()).isEqualTo(full.rules());
        assertThat(kept.tactics()).isEqualTo(full.tactics());
        assertThat(kept.techniques()).isEqualTo(full.techniques());
        assertThat(kept.incidentPriority()).isEqualTo(full.incidentPriority());
        assertThat(kept.crosses(p)).isEqualTo(full.crosses(p));
        return raised;
    }
}
