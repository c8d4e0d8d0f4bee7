package io.trailguard.job.s3;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CloudTrail log files under {@code s3://BUCKET/PREFIX} that a replay reads, without listing what it would skip:
 * it walks the trail layout ({@link TrailKey}) from the {@code AWSLogs/} folder (directly under the prefix, or one
 * level below it, as Control Tower's {@code o-ORGID/AWSLogs/}) through organization, account and region folders,
 * keeping only the accounts and regions asked for, then lists the date folders the time window may hold. A prefix
 * inside that layout (an account, a region, a day) is listed as it is. Keys come in S3 order (by account, region,
 * date, time); digest files and non-CloudTrail objects are left out.
 */
public final class S3Listing {
    private final S3Client s3;
    private final TrailFilter filter;
    private final TimeWindow window;
    private final Consumer<String> warnings;

    public S3Listing(S3Client s3, TrailFilter filter, TimeWindow window, Consumer<String> warnings) {
        this.s3 = s3;
        this.filter = filter;
        this.window = window;
        this.warnings = warnings;
    }

    /** {@code s3://bucket[/prefix]} split into bucket and prefix; throws IllegalArgumentException otherwise. */
    public static String[] parse(String uri) {
        if (!uri.startsWith("s3://") || uri.length() == "s3://".length()) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3://BUCKET[/PREFIX] location");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' names no bucket");
        }
        return new String[] {bucket, prefix};
    }

    /** The files to read under {@code s3://bucket/prefix}. */
    public List<ObjectRef> list(String bucket, String prefix) {
        List<ObjectRef> out = new ArrayList<>();
        String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        if (base.contains("AWSLogs/")) {
            everythingUnder(bucket, prefix, out);
            return out;
        }
        List<String> roots = new ArrayList<>();
        List<String> top = folders(bucket, base);
        if (top.contains(base + "AWSLogs/")) {
            roots.add(base + "AWSLogs/");
        } else {
            for (String f : top) {
                if (folders(bucket, f).contains(f + "AWSLogs/")) {
                    roots.add(f + "AWSLogs/");
                }
            }
        }
        if (roots.isEmpty()) {
            warnings.accept("no AWSLogs/ folder under s3://" + bucket + "/" + base + ": listing every object there");
            everythingUnder(bucket, prefix, out);
            return out;
        }
        for (String root : roots) {
            for (String f : folders(bucket, root)) {
                String name = last(f);
                if (name.startsWith("o-")) {
                    for (String account : folders(bucket, f)) {
                        account(bucket, account, out);
                    }
                } else {
                    account(bucket, f, out);
                }
            }
        }
        return out;
    }

    private void account(String bucket, String accountFolder, List<ObjectRef> out) {
        String account = last(accountFolder);
        if (!account.matches("\\d{12}") || (!filter.accounts().isEmpty() && !filter.accounts().contains(account))) {
            return;
        }
        for (String kind : List.of("CloudTrail/", "CloudTrail-Insight/")) {
            for (String regionFolder : folders(bucket, accountFolder + kind)) {
                String region = last(regionFolder);
                if (!filter.regions().isEmpty() && !filter.regions().contains(region)) {
                    continue;
                }
                if (window.since() == null) {
                    everythingUnder(bucket, regionFolder, out);
                    continue;
                }
                LocalDate day = window.since().atZone(ZoneOffset.UTC).toLocalDate();
                LocalDate last = (window.until() == null ? java.time.Instant.now() : window.until())
                        .atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
                for (; !day.isAfter(last); day = day.plusDays(1)) {
                    everythingUnder(bucket, regionFolder + String.format("%04d/%02d/%02d/", day.getYear(),
                            day.getMonthValue(), day.getDayOfMonth()), out);
                }
            }
        }
    }

    /** Every object under {@code prefix} that the filter and the window's date folders keep. */
    private void everythingUnder(String bucket, String prefix, List<ObjectRef> out) {
        String token = null;
        do {
            ListObjectsV2Request.Builder r = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
            if (token != null) {
                r.continuationToken(token);
            }
            ListObjectsV2Response page = s3.listObjectsV2(r.build());
            for (S3Object o : page.contents()) {
                TrailKey key = TrailKey.parse(o.key());
                if (filter.decide(key) == TrailFilter.Decision.READ && window.mayHold(key.date())) {
                    out.add(new ObjectRef(bucket, o.key()));
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    /** The sub-folders ({@code prefix/x/}) of a folder. */
    private List<String> folders(String bucket, String prefix) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder r = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .delimiter("/");
            if (token != null) {
                r.continuationToken(token);
            }
            ListObjectsV2Response page = s3.listObjectsV2(r.build());
            for (CommonPrefix p : page.commonPrefixes()) {
                out.add(p.prefix());
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    private static String last(String folder) {
        String f = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        return f.substring(f.lastIndexOf('/') + 1);
    }
}
