package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

import java.io.Serializable;

/**
 * One buffered Security Hub request entry: the alert, its finding id and the finding's JSON size. The finding itself
 * is cached but not serialised: after a restore from a checkpoint the writer maps the alert again (the mapping is
 * deterministic, so the id and content are the same).
 */
public final class FindingEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String findingId;
    private final Alert alert;
    private final long sizeInBytes;
    private transient AwsSecurityFinding finding;

    public FindingEntry(String findingId, Alert alert, long sizeInBytes, AwsSecurityFinding finding) {
        this.findingId = findingId;
        this.alert = alert;
        this.sizeInBytes = sizeInBytes;
        this.finding = finding;
    }

    /** An entry for {@code alert} mapped by {@code mapper} (size includes one byte for the separating comma). */
    public static FindingEntry of(Alert alert, FindingMapper mapper) {
        AwsSecurityFinding f = mapper.map(alert);
        return new FindingEntry(f.id(), alert, SdkJsonSize.of(f) + 1, f);
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
            finding = mapper.map(alert);
        }
        return finding;
    }

    @Override
    public String toString() {
        return "FindingEntry{" + findingId + ", " + sizeInBytes + " bytes}";
    }
}
