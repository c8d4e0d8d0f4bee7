package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

import java.io.Serializable;

/**
 * One buffered Security Hub request entry: the alert, its finding id, when Trailguard created and updated the
 * finding ({@link FindingTimes}) and the finding's JSON size. The finding itself is cached but not serialised: after
 * a restore from a checkpoint the writer maps the alert again with the same times (the mapping is deterministic,
 * so the id and content are the same).
 */
public final class FindingEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String findingId;
    private final Alert alert;
    private final FindingTimes times;
    private final long sizeInBytes;
    private transient AwsSecurityFinding finding;

    public FindingEntry(String findingId, Alert alert, FindingTimes times, long sizeInBytes,
                        AwsSecurityFinding finding) {
        this.findingId = findingId;
        this.alert = alert;
        this.times = times;
        this.sizeInBytes = sizeInBytes;
        this.finding = finding;
    }

    /** An entry for {@code alert} created and updated at the alert's event time (tests and previews). */
    public static FindingEntry of(Alert alert, FindingMapper mapper) {
        return of(alert, mapper, FindingTimes.at(alert.event().timeMillis()));
    }

    /** An entry for {@code alert} mapped by {@code mapper} (size includes one byte for the separating comma). */
    public static FindingEntry of(Alert alert, FindingMapper mapper, FindingTimes times) {
        AwsSecurityFinding f = mapper.map(alert, times);
        return new FindingEntry(f.id(), alert, times, SdkJsonSize.of(f) + 1, f);
    }

    public FindingTimes times() {
        return times;
    }

    public String findingId() {
        return findingId;
    }

    public Alert alert() {
        return alert;
    }

    public long sizeInBytes() {
        return sizeInBytes;
    }

    /** The finding, mapped again with {@code mapper} when it was not kept (after a restore). */
    AwsSecurityFinding finding(FindingMapper mapper) {
        if (finding == null) {
            finding = mapper.map(alert, times);
        }
        return finding;
    }

    @Override
    public String toString() {
        return "FindingEntry{" + findingId + ", " + sizeInBytes + " bytes}";
    }
}
