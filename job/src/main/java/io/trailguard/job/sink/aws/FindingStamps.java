package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;

/** The finding times a finding output writes for an alert. */
public final class FindingStamps {
    private FindingStamps() {
    }

    /**
     * The alert's {@link Alert#findingTimes()} as the pipeline's finding-times stage stamped them; for an alert that
     * did not pass that stage (a sink used on its own), a new finding created now.
     */
    public static FindingTimes of(Alert alert) {
        FindingTimes t = alert.findingTimes();
        return t != null ? t : FindingTimes.at(System.currentTimeMillis());
    }
}
