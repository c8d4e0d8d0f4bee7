package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.engine.Priority;
import software.amazon.awssdk.services.securityhub.model.AwsIamRoleDetails;
import software.amazon.awssdk.services.securityhub.model.AwsIamUserDetails;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.FindingProviderFields;
import software.amazon.awssdk.services.securityhub.model.FindingProviderSeverity;
import software.amazon.awssdk.services.securityhub.model.RecordState;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.ResourceDetails;
import software.amazon.awssdk.services.securityhub.model.Severity;
import software.amazon.awssdk.services.securityhub.model.SeverityLabel;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@link Alert} into an ASFF {@link AwsSecurityFinding} for {@code BatchImportFindings}. Pure and
 * deterministic: the same alert always gives the same finding (same {@code Id}, same timestamps), so a replay after a
 * failure re-imports the same finding instead of creating a new one. Never fails on content: text is cut to the ASFF
 * limits (never splitting a surrogate pair), blank values get placeholders, and the whole finding is kept under
 * {@link #maxFindingBytes()} of JSON. The mapping is documented in {@code job/OUTPUTS.md}.
 */
public final class FindingMapper implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String SCHEMA_VERSION = "2018-10-08";
    public static final String DEFAULT_PRODUCT_ARN = "arn:{partition}:securityhub:{region}:{account}:product/{account}/default";
    public static final String ID_PREFIX = "trailguard/";
    public static final String PRODUCT_NAME = "Trailguard";
    public static final String FIELD_PREFIX = "trailguard/";
    /** Finding type when no tag names a MITRE ATT&CK tactic. */
    public static final String DEFAULT_TYPE = "Unusual Behaviors/User";

    static final int MAX_ID = 512;
    static final int MAX_GENERATOR_ID = 512;
    static final int MAX_TITLE = 256;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_TYPES = 50;
    static final int MAX_PRODUCT_FIELDS = 50;
    static final int MAX_PRODUCT_FIELD_KEY = 128;
    static final int MAX_PRODUCT_FIELD_VALUE = 2048;
    static final int MAX_RESOURCES = 10; // ASFF allows 32; a finding names the principal and a few targets
    static final int MAX_RESOURCE_ID = 512;
    static final int MAX_OTHER_KEY = 127;
    static final int MAX_OTHER_VALUE = 1023;
    /** Default upper bound of one finding's JSON (ASFF allows 240 KB per finding). */
    public static final int DEFAULT_MAX_FINDING_BYTES = 200 * 1024;

    private static final DateTimeFormatter ASFF_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("(?:AKIA|ASIA)[A-Z0-9]{16}");
    private static final Pattern ARN = Pattern.compile("arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\\d{12})?:(.+)");

    private static final String[] PRINCIPAL_ARN_FIELDS = {"ct.user.arn", "userIdentity.arn", "aws.user.arn"};
    private static final String[] PRINCIPAL_NAME_FIELDS = {"ct.user", "aws.user", "userIdentity.userName"};
    private static final String[] SOURCE_IP_FIELDS = {"ct.srcip", "aws.sourceIP", "sourceIPAddress"};
    private static final String[] USER_AGENT_FIELDS = {"ct.useragent", "userAgent"};
    private static final String[] BUCKET_FIELDS = {"s3.bucket", "requestParameters.bucketName", "bucketName"};
    private static final String[] ROLE_NAME_FIELDS = {"iam.role", "requestParameters.roleName"};
    private static final String[] USER_NAME_FIELDS = {"ct.request.username", "requestParameters.userName"};
    private static final String[] FUNCTION_FIELDS = {"ct.request.functionname", "requestParameters.functionName"};

    private static final Map<String, String> TACTIC_TYPES = tacticTypes();

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

    public AwsSecurityFinding map(Alert alert) {
        int[] valueLimits = {MAX_PRODUCT_FIELD_VALUE, 1024, 256, 64};
        AwsSecurityFinding f = null;
        for (int limit : valueLimits) {
            f = build(alert, limit, MAX_PRODUCT_FIELDS, false);
            if (SdkJsonSize.of(f) <= maxFindingBytes) {
                return f;
            }
        }
        // Still too big (hostile keys): keep only the fixed fields, then only the principal and a short description.
        f = build(alert, 64, 12, false);
        return SdkJsonSize.of(f) <= maxFindingBytes ? f : build(alert, 64, 4, true);
    }

    private AwsSecurityFinding build(Alert a, int valueLimit, int maxFields, boolean minimal) {
        String account = awsAccountId(a);
        String findingRegion = region != null ? region : regionOrDefault(a.event().region());
        String time = formatTime(a.event().timeMillis());
        String label = severityLabel(a.rule().priority().display());
        List<String> types = types(a.rule().tags());
        String original = Text.truncateChars(Text.oneLine(nonBlank(a.rule().priority().display(), "unknown")), 64);

        AwsSecurityFinding.Builder b = AwsSecurityFinding.builder()
                .schemaVersion(SCHEMA_VERSION)
                .id(findingId(a))
                .productArn(productArn(findingRegion, account))
                .productName(PRODUCT_NAME)
                .companyName(PRODUCT_NAME)
                .generatorId(generatorId(a.rule().name()))
                .awsAccountId(account)
                .types(types)
                .createdAt(time)
                .updatedAt(time)
                .severity(Severity.builder().label(label).original(original).build())
                .findingProviderFields(FindingProviderFields.builder()
                        .severity(FindingProviderSeverity.builder().label(label).original(original).build())
                        .types(types)
                        .build())
                .title(title(a.rule().name()))
                .description(minimal ? Text.truncateChars(description(a), 256) : description(a))
                .resources(minimal ? resources(a, account).subList(0, 1) : resources(a, account))
                .productFields(productFields(a, valueLimit, maxFields))
                .recordState(RecordState.ACTIVE);
        Map<String, Object> agg = (a.rate() == null ? null : a.rate().toMap());
        if (a.incident() != null) {
            // the attack sequence's span, from its first to its latest member
            b.firstObservedAt(RuleSet.isoTime(a.incident().firstMillis()))
                    .lastObservedAt(RuleSet.isoTime(a.incident().lastMillis()));
        } else if (agg != null) {
            String first = isoOrNull(agg.get("first_time"));
            String last = isoOrNull(agg.get("last_time"));
            b.firstObservedAt(first != null ? first : time).lastObservedAt(last != null ? last : time);
        } else {
            b.firstObservedAt(time).lastObservedAt(time);
        }
        return b.build();
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
        Map<String, Object> agg = (a.rate() == null ? null : a.rate().toMap());
        if (a.incident() != null) {
            // every version of an incident is one finding, updated in place
            parts.add("incident");
            parts.add(a.incident().id());
        } else if (agg != null) {
            parts.add("rate");
            Object group = agg.get("group");
            TreeMap<String, String> sorted = new TreeMap<>();
            if (group instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) group).entrySet()) {
                    sorted.put(String.valueOf(e.getKey()), e.getValue() == null ? "" : String.valueOf(e.getValue()));
                }
            }
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                parts.add(e.getKey());
                parts.add(e.getValue());
            }
            Object start = agg.get("window_start");
            parts.add(start != null ? String.valueOf(start) : "first:" + agg.get("first_event_id"));
        } else if (!blank(a.event().id())) {
            parts.add("event");
            parts.add(a.event().id());
        } else {
            parts.add("content");
            parts.add(Long.toString(a.event().timeMillis()));
            parts.add(nonNull(a.output()));
        }
        return ID_PREFIX + sha256(parts);
    }

    private static String sha256(List<String> parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                md.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                md.update(bytes);
            }
            StringBuilder hex = new StringBuilder(64);
            for (byte x : md.digest()) {
                hex.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        return Text.truncateChars(r, MAX_GENERATOR_ID - 17) + "#" + sha256(Collections.singletonList(r)).substring(0, 16);
    }

    static String title(String rule) {
        String t = Text.repairSurrogates(Text.oneLine(nonBlank(rule, "unnamed rule")).trim());
        if (!Text.hasNonWhitespace(t)) {
            t = "unnamed rule";
        }
        return Text.truncateChars(t, MAX_TITLE);
    }

    static String description(Alert a) {
        String d = Text.repairSurrogates(a.output());
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

    private static String isoOrNull(Object v) {
        if (v == null) {
            return null;
        }
        try {
            return formatTime(Instant.parse(String.valueOf(v)).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Severity and types

    /**
     * Falco priority (or Sigma level) to ASFF label: Emergency/Alert/Critical → CRITICAL, Error/high → HIGH,
     * Warning/medium → MEDIUM, Notice/low → LOW, Informational/Debug → INFORMATIONAL; anything else MEDIUM.
     */
    public static String severityLabel(String priority) {
        Priority p = Priority.parse(priority);
        if (p != null) {
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
        String t = priority == null ? "" : priority.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "high":
                return SeverityLabel.HIGH.toString();
            case "medium":
                return SeverityLabel.MEDIUM.toString();
            case "low":
                return SeverityLabel.LOW.toString();
            default:
                return SeverityLabel.MEDIUM.toString();
        }
    }

    /** ASFF types named by the tags' MITRE ATT&CK tactics, in tag order; {@link #DEFAULT_TYPE} when there are none. */
    public static List<String> types(List<String> tags) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (tags != null) {
            for (String tag : tags) {
                String type = tacticType(tag);
                if (type != null && out.size() < MAX_TYPES) {
                    out.add(type);
                }
            }
        }
        if (out.isEmpty()) {
            out.add(DEFAULT_TYPE);
        }
        return new ArrayList<>(out);
    }

    /** The ASFF type of one tag, or null when the tag names no tactic. */
    static String tacticType(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"attack.", "mitre_", "mitre.", "mitre-", "mitre:"}) {
            if (t.startsWith(prefix)) {
                t = t.substring(prefix.length());
                break;
            }
        }
        t = t.replace('-', '_').replace(' ', '_');
        return TACTIC_TYPES.get(t);
    }

    private static Map<String, String> tacticTypes() {
        Map<String, String> m = new HashMap<>();
        tactic(m, "TTPs/Initial Access", "initial_access", "ta0001");
        tactic(m, "TTPs/Execution", "execution", "ta0002");
        tactic(m, "TTPs/Persistence", "persistence", "ta0003");
        tactic(m, "TTPs/Privilege Escalation", "privilege_escalation", "ta0004");
        tactic(m, "TTPs/Defense Evasion", "defense_evasion", "ta0005");
        tactic(m, "TTPs/Credential Access", "credential_access", "ta0006");
        tactic(m, "TTPs/Discovery", "discovery", "ta0007", "reconnaissance", "ta0043");
        tactic(m, "TTPs/Lateral Movement", "lateral_movement", "ta0008");
        tactic(m, "TTPs/Collection", "collection", "ta0009");
        tactic(m, "TTPs/Command and Control", "command_and_control", "ta0011");
        tactic(m, "Effects/Data Exfiltration", "exfiltration", "ta0010");
        tactic(m, "Effects", "impact", "ta0040");
        tactic(m, "TTPs", "resource_development", "ta0042");
        return Collections.unmodifiableMap(m);
    }

    private static void tactic(Map<String, String> m, String type, String... names) {
        for (String n : names) {
            m.put(n, type);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Resources

    List<Resource> resources(Alert a, String account) {
        String eventRegion = regionOrDefault(a.event().region());
        String partition = partition(eventRegion);
        String resourceAccount = a.event().account() != null && ACCOUNT_ID.matcher(a.event().account().trim()).matches()
                ? a.event().account().trim() : account;
        Map<String, Resource> out = new LinkedHashMap<>();

        // The principal first.
        String principalArn = first(a, PRINCIPAL_ARN_FIELDS);
        if (principalArn != null) {
            addArn(out, principalArn, "principal", eventRegion);
        } else {
            String name = first(a, PRINCIPAL_NAME_FIELDS);
            if (name != null) {
                add(out, other(cleanId(name), "principal", partition, eventRegion));
            }
        }
        // Named targets.
        for (String bucket : all(a, BUCKET_FIELDS)) {
            add(out, typed("AwsS3Bucket", "arn:" + partition + ":s3:::" + bucket, "target", partition, eventRegion,
                    null));
        }
        for (String role : all(a, ROLE_NAME_FIELDS)) {
            add(out, typed("AwsIamRole", "arn:" + partition + ":iam::" + resourceAccount + ":role/" + role, "target",
                    partition, eventRegion, ResourceDetails.builder()
                            .awsIamRole(AwsIamRoleDetails.builder().roleName(Text.truncateChars(role, 256)).build())
                            .build()));
        }
        for (String user : all(a, USER_NAME_FIELDS)) {
            add(out, typed("AwsIamUser", "arn:" + partition + ":iam::" + resourceAccount + ":user/" + user, "target",
                    partition, eventRegion, ResourceDetails.builder()
                            .awsIamUser(AwsIamUserDetails.builder().userName(Text.truncateChars(user, 256)).build())
                            .build()));
        }
        for (String fn : all(a, FUNCTION_FIELDS)) {
            String id = fn.startsWith("arn:") ? fn
                    : "arn:" + partition + ":lambda:" + eventRegion + ":" + resourceAccount + ":function:" + fn;
            add(out, typed("AwsLambdaFunction", id, "target", partition, eventRegion, null));
        }
        // Anything that looks like an ARN, an instance id or an access key in the output fields or the group.
        for (String v : allValues(a)) {
            if (out.size() >= MAX_RESOURCES) {
                break;
            }
            if (v.startsWith("arn:")) {
                addArn(out, v, "target", eventRegion);
            } else if (INSTANCE_ID.matcher(v).matches()) {
                add(out, typed("AwsEc2Instance", "arn:" + partition + ":ec2:" + eventRegion + ":" + resourceAccount
                        + ":instance/" + v, "target", partition, eventRegion, null));
            } else if (ACCESS_KEY_ID.matcher(v).matches()) {
                add(out, typed("AwsIamAccessKey", v, "target", partition, eventRegion, null));
            }
        }
        if (out.isEmpty()) {
            add(out, typed("AwsAccount", "AWS::::Account:" + resourceAccount, "target", partition, eventRegion, null));
        }
        return new ArrayList<>(out.values());
    }

    private static void add(Map<String, Resource> out, Resource r) {
        if (r != null && out.size() < MAX_RESOURCES && !out.containsKey(r.id())) {
            out.put(r.id(), r);
        }
    }

    private static void addArn(Map<String, Resource> out, String arn, String role, String eventRegion) {
        Matcher m = ARN.matcher(arn);
        String partition = partition(eventRegion);
        if (!m.matches()) {
            add(out, other(cleanId(arn), role, partition, eventRegion));
            return;
        }
        partition = m.group(1);
        String service = m.group(2);
        String arnRegion = m.group(3).isEmpty() ? eventRegion : m.group(3);
        String account = m.group(4);
        String resource = m.group(5);
        String type = null;
        ResourceDetails details = null;
        String id = arn;
        if (service.equals("iam") && resource.startsWith("user/")) {
            type = "AwsIamUser";
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            details = ResourceDetails.builder()
                    .awsIamUser(AwsIamUserDetails.builder().userName(Text.truncateChars(name, 256)).build()).build();
        } else if (service.equals("iam") && resource.startsWith("role/")) {
            type = "AwsIamRole";
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            details = ResourceDetails.builder()
                    .awsIamRole(AwsIamRoleDetails.builder().roleName(Text.truncateChars(name, 256)).build()).build();
        } else if (service.equals("sts") && resource.startsWith("assumed-role/") && account != null) {
            // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION -> the role (its path is not in the session ARN)
            String[] parts = resource.split("/", 3);
            type = "AwsIamRole";
            id = "arn:" + partition + ":iam::" + account + ":role/" + parts[1];
            Map<String, String> other = new LinkedHashMap<>();
            other.put("SessionArn", Text.truncateChars(arn, MAX_OTHER_VALUE));
            if (parts.length > 2) {
                other.put("SessionName", Text.truncateChars(parts[2], MAX_OTHER_VALUE));
            }
            details = ResourceDetails.builder()
                    .awsIamRole(AwsIamRoleDetails.builder().roleName(Text.truncateChars(parts[1], 256)).build())
                    .other(other).build();
        } else if (service.equals("iam") && resource.startsWith("policy/")) {
            type = "AwsIamPolicy";
        } else if (service.equals("s3") && !resource.contains("/")) {
            type = "AwsS3Bucket";
        } else if (service.equals("s3")) {
            type = "AwsS3Object";
        } else if (service.equals("ec2") && resource.startsWith("instance/")) {
            type = "AwsEc2Instance";
        } else if (service.equals("ec2") && resource.startsWith("security-group/")) {
            type = "AwsEc2SecurityGroup";
        } else if (service.equals("lambda") && resource.startsWith("function:")) {
            type = "AwsLambdaFunction";
        } else if (service.equals("kms") && resource.startsWith("key/")) {
            type = "AwsKmsKey";
        } else if (service.equals("secretsmanager")) {
            type = "AwsSecretsManagerSecret";
        } else if (service.equals("sns")) {
            type = "AwsSnsTopic";
        } else if (service.equals("sqs")) {
            type = "AwsSqsQueue";
        } else if (service.equals("cloudtrail") && resource.startsWith("trail/")) {
            type = "AwsCloudTrailTrail";
        }
        if (type == null) {
            add(out, other(cleanId(arn), role, partition, arnRegion));
        } else {
            add(out, typed(type, id, role, partition, arnRegion, details));
        }
    }

    private static Resource typed(String type, String id, String role, String partition, String region,
                                  ResourceDetails details) {
        String cleanId = cleanId(id);
        if (cleanId == null) {
            return null;
        }
        Resource.Builder b = Resource.builder().type(type).id(cleanId).partition(partition).region(region);
        if (details != null) {
            b.details(details);
        }
        return withRole(b, role);
    }

    private static Resource other(String id, String role, String partition, String region) {
        if (id == null) {
            return null;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ResourceRole", role);
        return withRole(Resource.builder().type("Other").id(id).partition(partition).region(region)
                .details(ResourceDetails.builder().other(details).build()), role);
    }

    private static Resource withRole(Resource.Builder b, String role) {
        return b.resourceRole("principal".equals(role) ? "Actor" : "Target").build();
    }

    private static String cleanId(String id) {
        if (id == null) {
            return null;
        }
        String s = Text.repairSurrogates(Text.oneLine(id)).trim();
        return Text.hasNonWhitespace(s) ? Text.truncateChars(s, MAX_RESOURCE_ID) : null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Product fields

    Map<String, String> productFields(Alert a, int valueLimit, int maxFields) {
        ProductFields pf = new ProductFields(valueLimit, maxFields);
        pf.put("ProviderName", PRODUCT_NAME);
        pf.put(FIELD_PREFIX + "Rule", a.rule().name());
        pf.put(FIELD_PREFIX + "Priority", a.rule().priority().display());
        pf.put(FIELD_PREFIX + "Source", a.rule().source());
        pf.put(FIELD_PREFIX + "EventId", a.event().id());
        pf.put(FIELD_PREFIX + "EventAccount", a.event().account());
        pf.put(FIELD_PREFIX + "Region", a.event().region());
        pf.put(FIELD_PREFIX + "EventTime", a.event().time());
        pf.put(FIELD_PREFIX + "SourceIp", first(a, SOURCE_IP_FIELDS));
        pf.put(FIELD_PREFIX + "UserAgent", first(a, USER_AGENT_FIELDS));
        pf.put(FIELD_PREFIX + "PrincipalArn", first(a, PRINCIPAL_ARN_FIELDS));
        pf.put(FIELD_PREFIX + "Tags", a.rule().tags() == null ? null : String.join(",", a.rule().tags()));
        pf.put(FIELD_PREFIX + "Hostname", a.hostname());
        Map<String, Object> agg = (a.rate() == null ? null : a.rate().toMap());
        if (agg != null) {
            pf.put(FIELD_PREFIX + "Aggregate/Type", str(agg.get("type")));
            pf.put(FIELD_PREFIX + "Aggregate/Condition", str(agg.get("condition")));
            pf.put(FIELD_PREFIX + "Aggregate/Count", str(agg.get("count")));
            pf.put(FIELD_PREFIX + "Aggregate/Group", groupText(agg.get("group")));
            pf.put(FIELD_PREFIX + "Aggregate/WindowStart", str(agg.get("window_start")));
            pf.put(FIELD_PREFIX + "Aggregate/WindowEnd", str(agg.get("window_end")));
            pf.put(FIELD_PREFIX + "Aggregate/FirstEventId", str(agg.get("first_event_id")));
            pf.put(FIELD_PREFIX + "Aggregate/LastEventId", str(agg.get("last_event_id")));
            pf.put(FIELD_PREFIX + "Aggregate/EventIds", str(agg.get("event_ids")));
        }
        for (Map.Entry<String, Object> e : a.outputFields().entrySet()) {
            pf.put(FIELD_PREFIX + "Field/" + e.getKey(), str(e.getValue()));
        }
        return pf.fields;
    }

    private static final class ProductFields {
        final LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        final int valueLimit;
        final int maxFields;

        ProductFields(int valueLimit, int maxFields) {
            this.valueLimit = valueLimit;
            this.maxFields = maxFields;
        }

        void put(String key, String value) {
            if (fields.size() >= maxFields || !Text.hasNonWhitespace(value)) {
                return;
            }
            String k = Text.truncateChars(Text.repairSurrogates(Text.oneLine(key)), MAX_PRODUCT_FIELD_KEY);
            if (fields.containsKey(k)) {
                return;
            }
            fields.put(k, Text.truncateChars(Text.repairSurrogates(value), valueLimit));
        }
    }

    private static String groupText(Object group) {
        if (!(group instanceof Map)) {
            return str(group);
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) group).entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Field lookup

    /** The first non-blank value of the keys in the output fields, then in the rate rule's group. */
    private static String first(Alert a, String[] keys) {
        for (String k : keys) {
            String v = valueOf(a, k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static List<String> all(Alert a, String[] keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            String v = valueOf(a, k);
            if (v != null) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    private static String valueOf(Alert a, String key) {
        Object v = a.outputFields().get(key);
        if (v == null && (a.rate() == null ? null : a.rate().toMap()) != null && (a.rate() == null ? null : a.rate().toMap()).get("group") instanceof Map) {
            v = ((Map<?, ?>) (a.rate() == null ? null : a.rate().toMap()).get("group")).get(key);
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            v = l.isEmpty() ? null : l.get(0);
        }
        String s = v == null ? null : String.valueOf(v).trim();
        return Text.hasNonWhitespace(s) && !s.equals("<NA>") ? s : null;
    }

    /** Every string value (list elements included) of the output fields and of the group. */
    private static List<String> allValues(Alert a) {
        List<String> out = new ArrayList<>();
        collect(a.outputFields().values(), out);
        if ((a.rate() == null ? null : a.rate().toMap()) != null && (a.rate() == null ? null : a.rate().toMap()).get("group") instanceof Map) {
            collect(((Map<?, ?>) (a.rate() == null ? null : a.rate().toMap()).get("group")).values(), out);
        }
        return out;
    }

    private static void collect(Iterable<?> values, List<String> out) {
        for (Object v : values) {
            if (v instanceof List) {
                collect((List<?>) v, out);
            } else if (v != null) {
                String s = String.valueOf(v).trim();
                if (!s.isEmpty() && s.length() <= 2048) {
                    out.add(s);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------

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

    private static String str(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof List) {
            StringBuilder b = new StringBuilder();
            for (Object o : (List<?>) v) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(o);
                if (b.length() > MAX_PRODUCT_FIELD_VALUE) {
                    break;
                }
            }
            return b.toString();
        }
        return String.valueOf(v);
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
