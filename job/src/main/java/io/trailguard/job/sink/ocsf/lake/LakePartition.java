package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Security Lake partition of a finding: {@code region=R/accountId=A/eventDay=YYYYMMDD} from its
 * {@code cloud.region}, {@code cloud.account.uid} and the UTC day of its {@code time} (when Trailguard created or
 * updated this version of the finding, the OCSF event time of a finding). A missing or unusable value (not letters,
 * digits and dashes) is {@value #UNKNOWN}.
 */
public final class LakePartition {
    static final String UNKNOWN = "unknown";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final String region;
    private final String accountId;
    private final String eventDay;

    public LakePartition(String region, String accountId, String eventDay) {
        this.region = region;
        this.accountId = accountId;
        this.eventDay = eventDay;
    }

    public static LakePartition of(JsonNode finding) {
        JsonNode cloud = finding.path("cloud");
        return new LakePartition(safe(cloud.path("region").asText(null)),
                safe(cloud.path("account").path("uid").asText(null)),
                DAY.format(Instant.ofEpochMilli(finding.path("time").asLong())));
    }

    private static String safe(String s) {
        return s != null && SAFE.matcher(s).matches() ? s : UNKNOWN;
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    public String eventDay() {
        return eventDay;
    }

    public String path() {
        return "region=" + region + "/accountId=" + accountId + "/eventDay=" + eventDay;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LakePartition)) {
            return false;
        }
        LakePartition p = (LakePartition) o;
        return p.region.equals(region) && p.accountId.equals(accountId) && p.eventDay.equals(eventDay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, accountId, eventDay);
    }

    @Override
    public String toString() {
        return path();
    }
}
