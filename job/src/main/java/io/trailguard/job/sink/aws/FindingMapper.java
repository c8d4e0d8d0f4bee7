package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RateSummary;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.text.PartsDigest;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.FindingProviderFields;
import software.amazon.awssdk.services.securityhub.model.FindingProviderSeverity;
import software.amazon.awssdk.services.securityhub.model.RecordState;
import software.amazon.awssdk.services.securityhub.model.RelatedFinding;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.Severity;
import software.amazon.awssdk.services.securityhub.model.SeverityLabel;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns an {@link Alert} into an ASFF {@link AwsSecurityFinding} for {@code BatchImportFindings}. Pure and
 * deterministic: the same alert and {@link FindingTimes} always give the same finding (same {@code Id}), so a
 * replay after a failure updates the same finding instead of creating a new one. Never fails on content: text is cut to the ASFF
 * limits (never splitting a surrogate pair), blank values get placeholders, and the whole finding is kept under
 * {@link #maxFindingBytes()} of JSON. The mapping is documented in {@code job/OUTPUTS.md}. The parts have their
 * own classes: {@link FindingTypes} (type taxonomy), {@link FindingResources} (resource typing),
 * {@link FindingProductFields} (product fields and their sizes), {@link FindingGuidance} (remediation, source URL),
 * {@link FindingAction} (the API call) and {@link FindingRelated} (an incident's members). {@code CreatedAt}/{@code UpdatedAt} come from {@link FindingTimes}.
 */
public final class FindingMapper implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String SCHEMA_VERSION = "2018-10-08";
    public static final String DEFAULT_PRODUCT_ARN = "arn:{partition}:securityhub:{region}:{account}:product/{account}/default";
    public static final String ID_PREFIX = "trailguard/";
    public static final String PRODUCT_NAME = "Trailguard";
    public static final String FIELD_PREFIX = "trailguard/";

    static final int MAX_ID = 512;
    static final int MAX_GENERATOR_ID = 512;
    static final int MAX_TITLE = 256;
    static final int MAX_DESCRIPTION = 1024;
    /** Default upper bound of one finding's JSON (ASFF allows 240 KB per finding). */
    public static final int DEFAULT_MAX_FINDING_BYTES = 200 * 1024;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FindingMapper.class);
    private static final DateTimeFormatter ASFF_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    private final String productArnTemplate;
    private final String region;
    private final String accountOverride;
    private final String fallbackAccount;
    private final int maxFindingBytes;

    /**
     * @param productArnTemplate ProductArn, with optional placeholders {@code {partition}}, {@code {region}} (the
     *                           Security Hub region) and {@code {account}} (the finding's AwsAccountId); null for
     *                           {@link #DEFAULT_PRODUCT_ARN}, the account's default product
     * @param region             the Security Hub region the findings are imported into; null means the event's region
     * @param accountOverride    AwsAccountId for every finding (import everything into one account); null means the
     *                           account of the event
     * @param fallbackAccount    AwsAccountId when the alert has no valid account; may be null
     * @param maxFindingBytes    upper bound of the finding's JSON; product fields are cut further to stay under it
     */
    public FindingMapper(String productArnTemplate, String region, String accountOverride, String fallbackAccount,
                         int maxFindingBytes) {
        this.productArnTemplate = blank(productArnTemplate) ? DEFAULT_PRODUCT_ARN : productArnTemplate.trim();
        this.region = blank(region) ? null : region.trim();
        this.accountOverride = blank(accountOverride) ? null : accountOverride.trim();
        this.fallbackAccount = blank(fallbackAccount) ? null : fallbackAccount.trim();
        if (maxFindingBytes < 32 * 1024) {
            throw new IllegalArgumentException("maxFindingBytes must be at least 32768, got " + maxFindingBytes);
        }
        this.maxFindingBytes = maxFindingBytes;
    }

    /** Default product ARN, event accounts, findings up to {@link #DEFAULT_MAX_FINDING_BYTES}. */
    public FindingMapper(String region) {
        this(null, region, null, null, DEFAULT_MAX_FINDING_BYTES);
    }

    /** The same mapping for findings imported into {@code securityHubRegion}. */
    public FindingMapper withRegion(String securityHubRegion) {
        return new FindingMapper(productArnTemplate, securityHubRegion, accountOverride, fallbackAccount,
                maxFindingBytes);
    }

    public FindingMapper withMaxFindingBytes(int bytes) {
        return new FindingMapper(productArnTemplate, region, accountOverride, fallbackAccount, bytes);
    }

    public int maxFindingBytes() {
        return maxFindingBytes;
    }

    public String region() {
        return region;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Finding

    /** The finding of {@code alert} created and updated at the alert's event time (for tests and previews). */
    public AwsSecurityFinding map(Alert alert) {
        return map(alert, FindingTimes.at(alert.event().timeMillis()));
    }

    /** The finding of {@code alert}, created and updated by Trailguard at {@code times}. */
    public AwsSecurityFinding map(Alert alert, FindingTimes times) {
        int[] valueLimits = {FindingProductFields.MAX_VALUE, 1024, 256, 64};
        AwsSecurityFinding f = null;
        for (int limit : valueLimits) {
            f = build(alert, times, limit, FindingProductFields.MAX_FIELDS, false);
            if (SdkJsonSize.of(f) <= maxFindingBytes) {
                return f;
            }
        }
        // Still too big (hostile keys): keep only the fixed fields, then only the principal and a short description.
        f = build(alert, times, 64, 12, false);
        return SdkJsonSize.of(f) <= maxFindingBytes ? f : build(alert, times, 64, 4, true);
    }

    private AwsSecurityFinding build(Alert a, FindingTimes times, int valueLimit, int maxFields, boolean minimal) {
        String account = awsAccountId(a);
        String findingRegion = region != null ? region : regionOrDefault(a.event().region());
        String label = severityLabel(a.rule().priority());
        List<String> types = FindingTypes.of(a.rule().tags());
        List<String> unmapped = FindingTypes.unmapped(a.rule().tags());
        warnUnmapped(a.rule().name(), unmapped);
        String original = a.rule().priority().display();
        String eventRegion = regionOrDefault(a.event().region());
        String resourceAccount = a.event().account() != null && ACCOUNT_ID.matcher(a.event().account().trim()).matches()
                ? a.event().account().trim() : account;
        FindingResources.Place place = new FindingResources.Place(partition(eventRegion), eventRegion,
                resourceAccount);
        List<Resource> resources = FindingResources.of(a, place);

        String productArn = productArn(findingRegion, account);
        AwsSecurityFinding.Builder b = AwsSecurityFinding.builder()
                .schemaVersion(SCHEMA_VERSION)
                .id(findingId(a))
                .productArn(productArn)
                .productName(PRODUCT_NAME)
                .companyName(PRODUCT_NAME)
                .generatorId(generatorId(a.rule().name()))
                .awsAccountId(account)
                .types(types)
                .createdAt(formatTime(times.createdAt()))
                .updatedAt(formatTime(times.updatedAt()))
                .severity(Severity.builder().label(label).original(original).build())
                .findingProviderFields(FindingProviderFields.builder()
                        .severity(FindingProviderSeverity.builder().label(label).original(original).build())
                        .types(types)
                        .build())
                .title(title(a.rule().name()))
                .description(minimal ? Text.truncateChars(description(a), 256) : description(a))
                .resources(minimal ? resources.subList(0, 1) : resources)
                .productFields(FindingProductFields.of(a, unmapped, valueLimit, maxFields))
                .recordState(RecordState.ACTIVE);
        FindingGuidance.remediation(a.rule()).ifPresent(b::remediation);
        FindingGuidance.sourceUrl(a, eventRegion).ifPresent(b::sourceUrl);
        FindingAction.of(a).ifPresent(b::action);
        RateSummary r = a.rate();
        List<RelatedFinding> related =
                a.incident() == null ? List.of() : FindingRelated.of(a.incident(), productArn);
        if (!related.isEmpty()) {
            b.relatedFindings(related);
        }
        if (a.incident() != null) {
            // the attack sequence's span, from its first to its latest member
            b.firstObservedAt(formatTime(a.incident().firstMillis()))
                    .lastObservedAt(formatTime(a.incident().lastMillis()));
        } else if (r != null) {
            b.firstObservedAt(formatTime(r.firstTime())).lastObservedAt(formatTime(r.lastTime()));
        } else {
            String t = formatTime(a.event().timeMillis());
            b.firstObservedAt(t).lastObservedAt(t);
        }
        return b.build();
    }

    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void warnUnmapped(String rule, List<String> unmapped) {
        for (String tag : unmapped) {
            if (WARNED.size() < 1000 && WARNED.add(rule + "\u0000" + tag)) {
                LOG.warn("rule '{}': tag '{}' looks like MITRE ATT&CK but names no tactic or technique Trailguard "
                        + "knows; the finding lists it in ProductFields trailguard/UnmappedAttackTags", rule, tag);
            }
        }
    }

    /**
     * The deterministic finding id: {@code trailguard/} + hex SHA-256 of (rule, incident id) for an incident alert (so
     * its versions update one finding), of (rule, CloudTrail event id) for a single-event rule, of (rule, group key, window start) for a rate rule, and of (rule, time, output) when the alert has no event
     * id.
     */
    public static String findingId(Alert a) {
        List<String> parts = new ArrayList<>();
        parts.add("trailguard-finding-v1");
        parts.add(nonNull(a.rule().name()));
        RateSummary r = a.rate();
        if (a.incident() != null) {
            // every version of an incident is one finding, updated in place
            parts.add("incident");
            parts.add(a.incident().id());
        } else if (r != null) {
            parts.add("rate");
            TreeMap<String, String> sorted = new TreeMap<>();
            for (Map.Entry<String, String> e : r.group().entrySet()) {
                sorted.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                parts.add(e.getKey());
                parts.add(e.getValue());
            }
            parts.add(RuleSet.isoTime(r.windowStart()));
        } else if (!blank(a.event().id())) {
            parts.add("event");
            parts.add(a.event().id());
        } else {
            parts.add("content");
            parts.add(Long.toString(a.event().timeMillis()));
            parts.add(nonNull(a.output()));
        }
        return PartsDigest.hex(ID_PREFIX, parts);
    }

    String awsAccountId(Alert a) {
        if (accountOverride != null) {
            return accountOverride;
        }
        if (a.event().account() != null && ACCOUNT_ID.matcher(a.event().account().trim()).matches()) {
            return a.event().account().trim();
        }
        return fallbackAccount != null ? fallbackAccount : nonBlank(a.event().account(), "000000000000");
    }

    String productArn(String findingRegion, String account) {
        return productArnTemplate.replace("{partition}", partition(findingRegion))
                .replace("{region}", findingRegion)
                .replace("{account}", account);
    }

    static String generatorId(String rule) {
        String r = Text.repairSurrogates(Text.oneLine(nonBlank(rule, "unnamed rule")));
        if (!Text.hasNonWhitespace(r)) {
            r = "unnamed rule";
        }
        if (r.length() <= MAX_GENERATOR_ID) {
            return r;
        }
        // Keep long names distinct: prefix plus a hash of the whole name.
        return Text.truncateChars(r, MAX_GENERATOR_ID - 17) + "#"
                + PartsDigest.hex("", Collections.singletonList(r)).substring(0, 16);
    }

    static String title(String rule) {
        String t = Text.repairSurrogates(Text.oneLine(nonBlank(rule, "unnamed rule")).trim());
        if (!Text.hasNonWhitespace(t)) {
            t = "unnamed rule";
        }
        return Text.truncateChars(t, MAX_TITLE);
    }

    /** What the rule detects (its description); the output when the rule has none. */
    static String description(Alert a) {
        String desc = a.rule().description();
        String d = Text.repairSurrogates(Text.hasNonWhitespace(desc) ? desc.trim() : a.output());
        if (!Text.hasNonWhitespace(d)) {
            d = "Rule " + title(a.rule().name()) + " matched" + (blank(a.event().id()) ? "" : " event " + a.event().id());
        }
        d = Text.truncateChars(d, MAX_DESCRIPTION);
        if (!Text.hasNonWhitespace(d)) { // only possible with a pathological rule name
            d = "Trailguard alert";
        }
        return d;
    }

    static String formatTime(long millis) {
        return ASFF_TIME.format(Instant.ofEpochMilli(millis));
    }


    // ------------------------------------------------------------------------------------------------------------
    // Severity

    /**
     * Priority to ASFF label: Emergency/Alert/Critical → CRITICAL, Error → HIGH, Warning → MEDIUM, Notice → LOW,
     * Informational/Debug → INFORMATIONAL (Sigma levels arrive as these priorities).
     */
    public static String severityLabel(Priority p) {
        switch (p) {
            case EMERGENCY:
            case ALERT:
            case CRITICAL:
                return SeverityLabel.CRITICAL.toString();
            case ERROR:
                return SeverityLabel.HIGH.toString();
            case WARNING:
                return SeverityLabel.MEDIUM.toString();
            case NOTICE:
                return SeverityLabel.LOW.toString();
            default:
                return SeverityLabel.INFORMATIONAL.toString();
        }
    }

    static String partition(String region) {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    private static String regionOrDefault(String r) {
        return blank(r) ? "us-east-1" : Text.oneLine(r).trim();
    }

    private static boolean blank(String s) {
        return s == null || s.trim().isEmpty();
    }

    private static String nonBlank(String s, String dflt) {
        return blank(s) ? dflt : s;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
