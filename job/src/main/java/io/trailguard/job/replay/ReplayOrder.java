package io.trailguard.job.replay;

import io.trailguard.rules.engine.Alert;

import java.util.Comparator;

/**
 * The order of a replay's alerts: event time, then rule name, then event id, then the alert's JSON line (so two
 * alerts that agree on all three still have one order). Whatever order the parallel stages deliver alerts in, the
 * same input then prints the same bytes.
 */
public final class ReplayOrder {
    public static final Comparator<Alert> ALERTS = Comparator
            .comparingLong((Alert a) -> a.event().timeMillis())
            .thenComparing(a -> a.rule().name())
            .thenComparing(a -> a.event().id() == null ? "" : a.event().id())
            .thenComparing(Alert::toJson);

    private ReplayOrder() {
    }
}
