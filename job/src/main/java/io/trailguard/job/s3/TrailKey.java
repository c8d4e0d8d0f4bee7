package io.trailguard.job.s3;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an S3 object key says about a CloudTrail file, from the layouts CloudTrail writes:
 * <ul>
 *   <li>standard trail: {@code [PREFIX/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/FILE};</li>
 *   <li>organization trail: {@code [PREFIX/]AWSLogs/o-ORGID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/FILE};</li>
 *   <li>organization trails created before the organization id became part of the path (and Control Tower's
 *       {@code o-ORGID/AWSLogs/ACCOUNT/...}, where the org id is part of the prefix) have the standard layout;</li>
 *   <li>{@code CloudTrail-Digest} (integrity digests, not events) and {@code CloudTrail-Insight} (Insights events) in
 *       place of {@code CloudTrail}.</li>
 * </ul>
 * Any other key is {@link Kind#OTHER}. Plain Java, no I/O.
 */
public final class TrailKey {
    /** What kind of object a key names. */
    public enum Kind {
        /** A CloudTrail log file: events. */
        LOG,
        /** A CloudTrail Insights file: Insights events, evaluated like log files. */
        INSIGHT,
        /** A CloudTrail digest file: no events. */
        DIGEST,
        /** Not a CloudTrail file. */
        OTHER
    }

    private static final Pattern LAYOUT = Pattern.compile(
            "^(?:.*/)?AWSLogs/(?:(o-[a-z0-9]{10,32})/)?(\\d{12})/(CloudTrail|CloudTrail-Digest|CloudTrail-Insight)/"
                    + "([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/[^/]+$");

    private final Kind kind;
    private final String organization;
    private final String account;
    private final String region;
    private final LocalDate date;

    private TrailKey(Kind kind, String organization, String account, String region, LocalDate date) {
        this.kind = kind;
        this.organization = organization;
        this.account = account;
        this.region = region;
        this.date = date;
    }

    /** The key's layout; never null ({@link Kind#OTHER} when it is not a CloudTrail key). */
    public static TrailKey parse(String key) {
        Matcher m = LAYOUT.matcher(key);
        if (!m.matches()) {
            return new TrailKey(Kind.OTHER, null, null, null, null);
        }
        Kind kind;
        switch (m.group(3)) {
            case "CloudTrail-Digest":
                kind = Kind.DIGEST;
                break;
            case "CloudTrail-Insight":
                kind = Kind.INSIGHT;
                break;
            default:
                kind = key.endsWith(".json.gz") || key.endsWith(".json") ? Kind.LOG : Kind.OTHER;
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                    Integer.parseInt(m.group(7)));
        } catch (java.time.DateTimeException e) {
            return new TrailKey(Kind.OTHER, null, null, null, null);
        }
        return new TrailKey(kind, m.group(1), m.group(2), m.group(4), date);
    }

    public Kind kind() {
        return kind;
    }

    /** True for files with events (log and Insights files). */
    public boolean hasEvents() {
        return kind == Kind.LOG || kind == Kind.INSIGHT;
    }

    /** The organization id of an organization trail's key ({@code o-...}), or null. */
    public String organization() {
        return organization;
    }

    /** The account the file's events are from, or null for {@link Kind#OTHER}. */
    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** The date folder (UTC), or null. */
    public LocalDate date() {
        return date;
    }

    @Override
    public String toString() {
        return kind + (account == null ? "" : " " + (organization == null ? "" : organization + "/") + account + "/"
                + region + "/" + date);
    }
}
