package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The field catalogue of Falco's CloudTrail plugin ({@code plugins/cloudtrail/pkg/cloudtrail/extract.go}, v0.17.1):
 * every {@code ct.*}, {@code s3.*}, {@code ec2.*}, {@code ecr.*} and {@code iam.*} field, plus the Sysdig Cloud
 * Connector aliases {@code aws.eventName}, {@code aws.errorCode}, {@code aws.user}, {@code aws.sourceIP} and
 * {@code aws.region}. Names are matched exactly (case-sensitive), as Falco does.
 *
 * <p><b>JSON access semantics.</b> The plugin reads the record with fastjson. A path lookup
 * ({@code Value.Get(k1, k2, ...)}) walks objects only and yields nothing when a key is missing or an intermediate
 * value is not an object. Scalar string fields then take {@code string(v.GetStringBytes())}, which is {@code ""}
 * whenever the value found is not a JSON string. Hence, for every plain string field:
 * <ul>
 *   <li>key missing (or a parent missing / not an object) → absent;</li>
 *   <li>value is a JSON string → its text;</li>
 *   <li>value is anything else, <b>including JSON {@code null}</b>, a number, a boolean, an object or an array →
 *       present with the value {@code ""} ({@code Get} does find a JSON {@code null}; it is {@code GetStringBytes}
 *       that then returns nil, and {@code string(nil)} is {@code ""}).</li>
 * </ul>
 * So {@code ct.error} is absent when {@code errorCode} is missing, and present as {@code ""} when it is
 * {@code "errorCode": null}. A few fields call {@code GetStringBytes(path)} directly and so treat a non-string as
 * missing: the {@code userIdentity.type} switch of {@code ct.user}/{@code ct.originaluser}, both parts of
 * {@code s3.uri}, {@code eventName} in {@code s3.cnt.*}, and the item filters of {@code ec2.name} and
 * {@code ec2.imageids} (without index).
 *
 * <p><b>Deliberate deviations from upstream.</b>
 * <ul>
 *   <li>{@code ct.request.documentname} reads {@code requestParameters.documentName}. Upstream always leaves it
 *       absent because its switch case is spelled {@code ct.request.documentName}; we fix that bug.</li>
 *   <li>{@code s3.bytes.in} / {@code s3.bytes.out} on a record without that counter: upstream calls
 *       {@code Offset()} on a nil fastjson value (a panic unless the fastjson fork guards it, unverified); we return
 *       absent.</li>
 *   <li>Objects with duplicate keys: fastjson finds the first occurrence, Jackson keeps the last.</li>
 *   <li>Compact JSON ({@code ct.request}, ...) is Jackson's rendering ({@link Json#compact}); numbers are
 *       re-rendered by Jackson (fastjson keeps their source text, e.g. {@code 1.50} vs {@code 1.5}).</li>
 * </ul>
 *
 * <p>All fields are immutable, thread-safe and precomputed; {@link #resolve} only does a map lookup (plus an index
 * parse for {@code ec2.imageids[N]}).
 */
public final class CloudTrailFields {
    private static final String AMAZONAWS_SUFFIX = ".amazonaws.com";
    private static final String IMAGE_IDS = "ec2.imageids";

    private static final String[] UI_TYPE = {"userIdentity", "type"};
    private static final String[] UI_USER_NAME = {"userIdentity", "userName"};
    private static final String[] UI_INVOKED_BY = {"userIdentity", "invokedBy"};
    private static final String[] UI_ARN = {"userIdentity", "arn"};
    private static final String[] UI_PRINCIPAL_ID = {"userIdentity", "principalId"};
    private static final String[] UI_ISSUER_USER_NAME =
            {"userIdentity", "sessionContext", "sessionIssuer", "userName"};
    private static final String[] EVENT_NAME = {"eventName"};
    private static final String[] SOURCE_IP = {"sourceIPAddress"};
    private static final String[] ERROR_CODE = {"errorCode"};
    private static final String[] READ_ONLY = {"readOnly"};
    private static final String[] BUCKET = {"requestParameters", "bucketName"};
    private static final String[] KEY = {"requestParameters", "key"};
    private static final String[] HOST = {"requestParameters", "Host"};
    private static final String[] PUBLIC_ACCESS_BLOCK =
            {"requestParameters", "PublicAccessBlockConfiguration"};
    private static final String[] BYTES_IN = {"additionalEventData", "bytesTransferredIn"};
    private static final String[] BYTES_OUT = {"additionalEventData", "bytesTransferredOut"};
    private static final String[] TAG_ITEMS = {"requestParameters", "tagSpecificationSet", "items"};
    private static final String[] INSTANCE_ITEMS = {"responseElements", "instancesSet", "items"};
    private static final String[][] SCALAR_IMAGE_IDS = {
            {"requestParameters", "imageId"},
            {"requestParameters", "DescribeFastLaunchImagesRequest", "ImageId", "content"},
            {"requestParameters", "launchSpecification", "imageId"},
    };

    private static final String[] EVENT_SOURCE = {"eventSource"};
    private static final Long ONE = 1L;
    private static final Field IMAGE_IDS_ALL =
            new ComputedField(IMAGE_IDS, ValueType.LIST, CloudTrailFields::imageIds);

    private static final Map<String, Field> FIELDS;
    private static final Set<String> NAMES;

    static {
        Map<String, Field> m = new LinkedHashMap<>();
        str(m, "ct.id", "eventID");
        str(m, "ct.error", "errorCode");
        str(m, "ct.errormessage", "errorMessage");
        str(m, "ct.time", "eventTime");
        str(m, "ct.src", "eventSource");
        computed(m, "ct.shortsrc", ValueType.STRING, CloudTrailFields::shortSource);
        str(m, "ct.name", "eventName");
        computed(m, "ct.user", ValueType.STRING, CloudTrailFields::user);
        computed(m, "ct.originaluser", ValueType.STRING, CloudTrailFields::originalUser);
        put(m, new StringPathField("ct.user.accountid",
                new String[] {"userIdentity", "accountId"}, new String[] {"recipientAccountId"}));
        str(m, "ct.user.identitytype", UI_TYPE);
        str(m, "ct.user.principalid", UI_PRINCIPAL_ID);
        str(m, "ct.user.arn", UI_ARN);
        str(m, "ct.region", "awsRegion");
        str(m, "ct.response.subnetid", "responseElements", "subnetId");
        str(m, "ct.response.reservationid", "responseElements", "reservationId");
        put(m, new CompactJsonField("ct.response", "responseElements"));
        str(m, "ct.request.availabilityzone", "requestParameters", "availabilityZone");
        str(m, "ct.request.cluster", "requestParameters", "cluster");
        str(m, "ct.request.functionname", "requestParameters", "functionName");
        str(m, "ct.request.groupname", "requestParameters", "groupName");
        str(m, "ct.request.host", HOST);
        str(m, "ct.request.name", "requestParameters", "name");
        str(m, "ct.request.policy", "requestParameters", "policy");
        str(m, "ct.request.reason", "requestParameters", "reason");
        str(m, "ct.request.target", "requestParameters", "target");
        str(m, "ct.request.documentname", "requestParameters", "documentName"); // upstream bug fixed
        str(m, "ct.request.serialnumber", "requestParameters", "serialNumber");
        str(m, "ct.request.servicename", "requestParameters", "serviceName");
        str(m, "ct.request.subnetid", "requestParameters", "subnetId");
        str(m, "ct.request.taskdefinition", "requestParameters", "taskDefinition");
        str(m, "ct.request.username", "requestParameters", "userName");
        put(m, new CompactJsonField("ct.request", "requestParameters"));
        str(m, "ct.srcip", SOURCE_IP);
        str(m, "ct.useragent", "userAgent");
        computed(m, "ct.info", ValueType.STRING, CloudTrailFields::info);
        put(m, new BooleanField("ct.managementevent", "managementEvent"));
        put(m, new BooleanField("ct.readonly", "readOnly"));
        str(m, "ct.requestid", "requestID");
        str(m, "ct.eventtype", "eventType");
        str(m, "ct.apiversion", "apiVersion");
        computed(m, "ct.resources", ValueType.STRING, CloudTrailFields::resources);
        str(m, "ct.recipientaccountid", "recipientAccountId");
        str(m, "ct.serviceeventdetails", "serviceEventDetails");
        str(m, "ct.sharedeventid", "sharedEventID");
        str(m, "ct.vpcendpointid", "vpcEndpointId");
        str(m, "ct.eventcategory", "eventCategory");
        str(m, "ct.addendum.reason", "addendum", "reason");
        str(m, "ct.addendum.updatedfields", "addendum", "updatedFields");
        str(m, "ct.addendum.originalrequestid", "addendum", "originalRequestID");
        str(m, "ct.addendum.originaleventid", "addendum", "originalEventID");
        put(m, new BooleanField("ct.sessioncredentialfromconsole", "sessionCredentialFromConsole"));
        str(m, "ct.edgedevicedetails", "edgeDeviceDetails");
        str(m, "ct.tlsdetails.tlsversion", "tlsDetails", "tlsVersion");
        str(m, "ct.tlsdetails.ciphersuite", "tlsDetails", "cipherSuite");
        str(m, "ct.tlsdetails.clientprovidedhostheader", "tlsDetails", "clientProvidedHostHeader");
        put(m, new CompactJsonField("ct.additionaleventdata", "additionalEventData"));
        computed(m, "s3.uri", ValueType.STRING, CloudTrailFields::s3Uri);
        str(m, "s3.bucket", BUCKET);
        str(m, "s3.key", KEY);
        computed(m, "s3.bytes", ValueType.NUMBER, CloudTrailFields::s3Bytes);
        computed(m, "s3.bytes.in", ValueType.NUMBER, r -> u64At(r, BYTES_IN));
        computed(m, "s3.bytes.out", ValueType.NUMBER, r -> u64At(r, BYTES_OUT));
        computed(m, "s3.cnt.get", ValueType.NUMBER, r -> "GetObject".equals(eventNameOrEmpty(r)) ? ONE : null);
        computed(m, "s3.cnt.put", ValueType.NUMBER, r -> "PutObject".equals(eventNameOrEmpty(r)) ? ONE : null);
        computed(m, "s3.cnt.other", ValueType.NUMBER, r -> {
            String n = eventNameOrEmpty(r);
            return n.equals("GetObject") || n.equals("PutObject") ? null : ONE;
        });
        computed(m, "ec2.name", ValueType.STRING, CloudTrailFields::ec2Name);
        computed(m, "ec2.imageid", ValueType.STRING, r -> imageIdAt(r, 0));
        str(m, "ecr.repository", "requestParameters", "repositoryName");
        str(m, "ecr.imagetag", "requestParameters", "imageTag");
        str(m, "iam.role", "requestParameters", "roleName");
        str(m, "iam.policy", "requestParameters", "policyName");
        // Sysdig Cloud Connector dialect (mixed case, exactly as Sysdig spells them).
        str(m, "aws.eventName", EVENT_NAME);
        str(m, "aws.errorCode", ERROR_CODE);
        computed(m, "aws.user", ValueType.STRING, CloudTrailFields::user);
        str(m, "aws.sourceIP", SOURCE_IP);
        str(m, "aws.region", "awsRegion");
        FIELDS = Collections.unmodifiableMap(m);

        Set<String> names = new LinkedHashSet<>();
        for (String n : m.keySet()) {
            names.add(n);
            if (n.equals("ec2.imageid")) {
                names.add(IMAGE_IDS);
            }
        }
        NAMES = Collections.unmodifiableSet(names);
    }

    private CloudTrailFields() {}

    /**
     * The field called {@code name} with argument {@code arg} (null when the rule gave none), or {@code null} when
     * {@code name} is not a field of this catalogue.
     *
     * @throws UnknownFieldException when the name is known but the argument is not acceptable: any argument on a
     *                               field that takes none; a non-numeric index on {@code ec2.imageids}
     */
    public static Field resolve(String name, String arg) {
        if (name == null) {
            return null;
        }
        if (name.equals(IMAGE_IDS)) {
            if (arg == null) {
                return IMAGE_IDS_ALL;
            }
            int index = parseIndex(arg);
            return new ComputedField(IMAGE_IDS + "[" + arg + "]", ValueType.STRING, r -> imageIdAt(r, index));
        }
        Field f = FIELDS.get(name);
        if (f != null && arg != null) {
            throw new UnknownFieldException("field '" + name + "' does not take an argument, got '" + name + "["
                    + arg + "]'");
        }
        return f;
    }

    /** Every field name this catalogue resolves: Falco's in (roughly) declaration order, then the aws.* aliases. */
    public static Set<String> names() {
        return NAMES;
    }

    // ---------------------------------------------------------------------------------------------------------
    // fastjson-like access

    /** fastjson {@code Get(path...)}: walks objects only; null when a key is missing or a parent is no object. */
    static JsonNode get(ObjectNode record, String[] path) {
        JsonNode n = record;
        for (String key : path) {
            if (!n.isObject()) {
                return null;
            }
            n = n.get(key);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** fastjson {@code string(v.GetStringBytes())} on a found value: its text, or "" when it is not a string. */
    static String stringOf(JsonNode found) {
        return found.isTextual() ? found.textValue() : "";
    }

    /** fastjson {@code GetStringBytes(path...)}: the text, or null when missing or not a string. */
    static String textAt(ObjectNode record, String[] path) {
        JsonNode n = get(record, path);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** Plain string field lookup: absent when missing, "" when not a string. */
    static String stringAt(ObjectNode record, String[] path) {
        JsonNode n = get(record, path);
        return n == null ? null : stringOf(n);
    }

    // ---------------------------------------------------------------------------------------------------------
    // computed fields

    private static String shortSource(ObjectNode r) {
        String src = stringAt(r, EVENT_SOURCE);
        return src == null ? null : stripAmazonaws(src);
    }

    /** Removes a trailing {@code .amazonaws.com} when something precedes it (upstream: length strictly greater). */
    static String stripAmazonaws(String src) {
        if (src.length() > AMAZONAWS_SUFFIX.length() && src.endsWith(AMAZONAWS_SUFFIX)) {
            return src.substring(0, src.length() - AMAZONAWS_SUFFIX.length());
        }
        return src;
    }

    /** {@code ct.user} ({@code getUser}): null when absent. */
    static String user(ObjectNode r) {
        String type = textAt(r, UI_TYPE);
        if (type == null) {
            return null;
        }
        switch (type) {
            case "Root":
            case "IAMUser":
                return stringAt(r, UI_USER_NAME);
            case "AWSService":
                return stringAt(r, UI_INVOKED_BY);
            case "AssumedRole": {
                String issuer = stringAt(r, UI_ISSUER_USER_NAME);
                return issuer != null ? issuer : "AssumedRole";
            }
            case "AWSAccount":
                return "AWSAccount";
            case "FederatedUser":
                return "FederatedUser";
            default:
                return null;
        }
    }

    /**
     * The user part of {@code evt.plugininfo} ({@code cloudtrail.go String}): {@code " " + ct.user} when the user is
     * present and non-empty, {@code ""} when present and empty; when absent, upstream prints the placeholder text
     * {@code getUser} returned, glued to the region: {@code ""} (no type), {@code "<NA>"} (Root/IAMUser without
     * userName) or {@code "<unknown user type>"}.
     */
    static String pluginInfoUser(ObjectNode r) {
        String user = user(r);
        if (user != null) {
            return user.isEmpty() ? "" : " " + user;
        }
        String type = textAt(r, UI_TYPE);
        if (type == null) {
            return "";
        }
        return type.equals("Root") || type.equals("IAMUser") ? "<NA>" : "<unknown user type>";
    }

    private static String originalUser(ObjectNode r) {
        if (!"AssumedRole".equals(textAt(r, UI_TYPE))) {
            return stringAt(r, UI_USER_NAME);
        }
        String arn = stringAt(r, UI_ARN);
        if (arn != null && count(arn, '/') == 2) {
            return arn.substring(arn.lastIndexOf('/') + 1);
        }
        String principal = stringAt(r, UI_PRINCIPAL_ID);
        if (principal != null && count(principal, ':') == 1) {
            return principal.substring(principal.indexOf(':') + 1);
        }
        return null;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /** {@code ct.info} ({@code getEvtInfo}); always present. */
    static String info(ObjectNode r) {
        String user = user(r);
        if (user == null) {
            return "<invalid cloudtrail event: userIdentity field missing>";
        }
        String srcip = stringAt(r, SOURCE_IP);
        if (srcip == null) {
            return "<invalid cloudtrail event: eventSource field missing>";
        }
        String err = get(r, ERROR_CODE) != null ? "!" : "";
        JsonNode ro = get(r, READ_ONLY);
        // "→" only when ct.readonly is present and "false" (i.e. the value is anything but JSON true).
        String rw = ro != null && !(ro.isBoolean() && ro.booleanValue()) ? "→" : "←";
        String name = stringAt(r, EVENT_NAME);
        if (name == null) {
            return "<invalid cloudtrail event: eventName field missing>";
        }
        StringBuilder sb = new StringBuilder(96).append(user);
        if (!user.equals(srcip)) {
            sb.append(" via ").append(srcip);
        }
        sb.append(' ').append(err).append(rw).append(' ').append(name);

        if (name.equals("PutBucketPublicAccessBlock")) {
            JsonNode pac = get(r, PUBLIC_ACCESS_BLOCK);
            if (pac != null && pac.isObject()) {
                // Upstream bug reproduced: the flags are read from the record's top level, not from pac.
                sb.append(" BlockPublicAcls=").append(topLevelTrue(r, "BlockPublicAcls"))
                        .append(" BlockPublicPolicy=").append(topLevelTrue(r, "BlockPublicPolicy"))
                        .append(" IgnorePublicAcls=").append(topLevelTrue(r, "IgnorePublicAcls"))
                        .append(" RestrictPublicBuckets=").append(topLevelTrue(r, "RestrictPublicBuckets"))
                        .append(' ');
            }
            return sb.toString();
        }
        Long bytes = s3Bytes(r);
        if (bytes != null) {
            sb.append(" Size=").append(Long.toUnsignedString(bytes));
        }
        String v = s3Uri(r);
        if (v != null) {
            return sb.append(" URI=").append(v).toString();
        }
        v = stringAt(r, BUCKET);
        if (v != null) {
            return sb.append(" Bucket=").append(v).toString();
        }
        v = stringAt(r, KEY);
        if (v != null) {
            return sb.append(" Key=").append(v).toString();
        }
        v = stringAt(r, HOST);
        if (v != null) {
            sb.append(" Host=").append(v);
        }
        return sb.toString();
    }

    /** fastjson {@code GetBool(key)}: true only for a JSON {@code true}. */
    private static boolean topLevelTrue(ObjectNode r, String key) {
        JsonNode n = r.get(key);
        return n != null && n.isBoolean() && n.booleanValue();
    }

    private static String resources(ObjectNode r) {
        JsonNode n = r.get("resources");
        if (n == null || !n.isArray() || n.size() == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : n) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(Json.compact(e));
        }
        return sb.toString();
    }

    /** {@code s3://<bucket>/<key>}: both must be JSON strings. */
    static String s3Uri(ObjectNode r) {
        String bucket = textAt(r, BUCKET);
        if (bucket == null) {
            return null;
        }
        String key = textAt(r, KEY);
        return key == null ? null : "s3://" + bucket + "/" + key;
    }

    /** {@code s3.bytes}: in + out, present when either counter key exists. */
    static Long s3Bytes(ObjectNode r) {
        JsonNode in = get(r, BYTES_IN);
        JsonNode out = get(r, BYTES_OUT);
        if (in == null && out == null) {
            return null;
        }
        return (in == null ? 0L : u64(in)) + (out == null ? 0L : u64(out));
    }

    private static Long u64At(ObjectNode r, String[] path) {
        JsonNode n = get(r, path);
        return n == null ? null : u64(n);
    }

    /**
     * {@code getvalueU64}: an integer as is (unsigned 64-bit, wrapping), a float truncated toward zero, anything
     * else (string, bool, null, object) 0.
     */
    static long u64(JsonNode n) {
        if (n.isBigInteger()) {
            return n.bigIntegerValue().longValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (d >= 0x1p63 && d < 0x1p64) {
                return (long) (d - 0x1p63) ^ Long.MIN_VALUE; // uint64 range above Long.MAX_VALUE
            }
            return (long) d;
        }
        return 0L;
    }

    private static String eventNameOrEmpty(ObjectNode r) {
        String n = textAt(r, EVENT_NAME);
        return n == null ? "" : n;
    }

    /** Last instance tag-specification item with a {@code Name} tag wins; absent when the name is empty. */
    private static String ec2Name(ObjectNode r) {
        JsonNode items = get(r, TAG_ITEMS);
        if (items == null || !items.isArray()) {
            return null;
        }
        String name = "";
        for (JsonNode item : items) {
            if (!"instance".equals(textAt(item, "resourceType"))) {
                continue;
            }
            JsonNode tags = item.get("tags");
            if (tags == null || !tags.isArray()) {
                continue;
            }
            for (JsonNode tag : tags) {
                if ("Name".equals(textAt(tag, "key"))) {
                    String v = textAt(tag, "value");
                    name = v == null ? "" : v;
                    break;
                }
            }
        }
        return name.isEmpty() ? null : name;
    }

    private static String textAt(JsonNode obj, String key) {
        if (!obj.isObject()) {
            return null;
        }
        JsonNode n = obj.get(key);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** {@code ec2.imageids} without index: non-empty imageIds of the instances set, else the scalar fallbacks. */
    private static List<String> imageIds(ObjectNode r) {
        JsonNode items = get(r, INSTANCE_ITEMS);
        if (items != null) {
            if (!items.isArray()) {
                return null;
            }
            List<String> ids = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                String id = textAt(item, "imageId");
                if (id != null && !id.isEmpty()) {
                    ids.add(id);
                }
            }
            return ids.isEmpty() ? null : Collections.unmodifiableList(ids);
        }
        String scalar = scalarImageId(r);
        return scalar == null ? null : Collections.singletonList(scalar);
    }

    /** {@code ec2.imageids[index]} / {@code ec2.imageid} (index 0). */
    private static String imageIdAt(ObjectNode r, int index) {
        JsonNode items = get(r, INSTANCE_ITEMS);
        if (items != null) {
            if (!items.isArray() || index >= items.size()) {
                return null;
            }
            JsonNode item = items.get(index);
            JsonNode id = item.isObject() ? item.get("imageId") : null;
            return id == null ? null : stringOf(id);
        }
        return index == 0 ? scalarImageId(r) : null;
    }

    private static String scalarImageId(ObjectNode r) {
        for (String[] path : SCALAR_IMAGE_IDS) {
            String v = stringAt(r, path);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static int parseIndex(String arg) {
        if (arg.isEmpty()) {
            throw new UnknownFieldException("field '" + IMAGE_IDS + "' needs a numeric index argument, got '"
                    + IMAGE_IDS + "[]'");
        }
        long v = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c < '0' || c > '9') {
                throw new UnknownFieldException("field '" + IMAGE_IDS + "' takes a numeric index argument, got '"
                        + IMAGE_IDS + "[" + arg + "]'");
            }
            v = Math.min(v * 10 + (c - '0'), Integer.MAX_VALUE); // larger indexes can never match
        }
        return (int) v;
    }

    // ---------------------------------------------------------------------------------------------------------
    // field kinds

    private static void put(Map<String, Field> m, Field f) {
        if (m.put(f.name(), f) != null) {
            throw new IllegalStateException("duplicate field " + f.name());
        }
    }

    private static void str(Map<String, Field> m, String name, String... path) {
        put(m, new StringPathField(name, path));
    }

    private static void computed(Map<String, Field> m, String name, ValueType type,
                                 Function<ObjectNode, Object> fn) {
        put(m, new ComputedField(name, type, fn));
    }

    /** A string at a fixed path (first path found, for fallbacks), with GetStringBytes semantics. */
    private static final class StringPathField implements Field {
        private final String name;
        private final String[][] paths;

        StringPathField(String name, String[]... paths) {
            this.name = name;
            this.paths = paths;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public Object extract(CloudTrailEvent event) {
            for (String[] path : paths) {
                JsonNode n = get(event.record(), path);
                if (n != null) {
                    return stringOf(n);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A top-level boolean as "true"/"false"; absent when the key is missing, "false" when not a JSON boolean. */
    private static final class BooleanField implements Field {
        private final String name;
        private final String key;

        BooleanField(String name, String key) {
            this.name = name;
            this.key = key;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public Object extract(CloudTrailEvent event) {
            JsonNode n = event.record().get(key);
            if (n == null) {
                return null;
            }
            return n.isBoolean() && n.booleanValue() ? "true" : "false";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A top-level value re-marshalled as compact JSON ({@code null} → "null"); absent when the key is missing. */
    private static final class CompactJsonField implements Field {
        private final String name;
        private final String key;

        CompactJsonField(String name, String key) {
            this.name = name;
            this.key = key;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public Object extract(CloudTrailEvent event) {
            JsonNode n = event.record().get(key);
            return n == null ? null : Json.compact(n);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Any other field: a function of the record. */
    private static final class ComputedField implements Field {
        private final String name;
        private final ValueType type;
        private final Function<ObjectNode, Object> fn;

        ComputedField(String name, ValueType type, Function<ObjectNode, Object> fn) {
            this.name = name;
            this.type = type;
            this.fn = fn;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ValueType type() {
            return type;
        }

        @Override
        public Object extract(CloudTrailEvent event) {
            return fn.apply(event.record());
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
