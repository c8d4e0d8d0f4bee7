package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    private static final String IMAGE_IDS = "ec2.imageids";
    private static final Field IMAGE_IDS_ALL =
            CatalogueField.ofRecord(IMAGE_IDS, ValueType.LIST, CloudTrailValues::imageIds);

    private static final Map<String, Field> FIELDS;
    private static final Set<String> NAMES;

    static {
        Map<String, Field> m = new LinkedHashMap<>();
        str(m, "ct.id", "eventID");
        str(m, "ct.error", "errorCode");
        str(m, "ct.errormessage", "errorMessage");
        str(m, "ct.time", "eventTime");
        str(m, "ct.src", "eventSource");
        computed(m, "ct.shortsrc", ValueType.STRING, CloudTrailValues::shortSource);
        str(m, "ct.name", "eventName");
        computed(m, "ct.user", ValueType.STRING, CloudTrailValues::user);
        computed(m, "ct.originaluser", ValueType.STRING, CloudTrailValues::originalUser);
        put(m, stringAt("ct.user.accountid",
                new String[] {"userIdentity", "accountId"}, new String[] {"recipientAccountId"}));
        str(m, "ct.user.identitytype", CloudTrailValues.UI_TYPE);
        str(m, "ct.user.principalid", CloudTrailValues.UI_PRINCIPAL_ID);
        str(m, "ct.user.arn", CloudTrailValues.UI_ARN);
        str(m, "ct.region", "awsRegion");
        str(m, "ct.response.subnetid", "responseElements", "subnetId");
        str(m, "ct.response.reservationid", "responseElements", "reservationId");
        put(m, compactJson("ct.response", "responseElements"));
        str(m, "ct.request.availabilityzone", "requestParameters", "availabilityZone");
        str(m, "ct.request.cluster", "requestParameters", "cluster");
        str(m, "ct.request.functionname", "requestParameters", "functionName");
        str(m, "ct.request.groupname", "requestParameters", "groupName");
        str(m, "ct.request.host", CloudTrailValues.HOST);
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
        put(m, compactJson("ct.request", "requestParameters"));
        str(m, "ct.srcip", CloudTrailValues.SOURCE_IP);
        str(m, "ct.useragent", "userAgent");
        computed(m, "ct.info", ValueType.STRING, CloudTrailValues::info);
        put(m, booleanKey("ct.managementevent", "managementEvent"));
        put(m, booleanKey("ct.readonly", "readOnly"));
        str(m, "ct.requestid", "requestID");
        str(m, "ct.eventtype", "eventType");
        str(m, "ct.apiversion", "apiVersion");
        computed(m, "ct.resources", ValueType.STRING, CloudTrailValues::resources);
        str(m, "ct.recipientaccountid", "recipientAccountId");
        str(m, "ct.serviceeventdetails", "serviceEventDetails");
        str(m, "ct.sharedeventid", "sharedEventID");
        str(m, "ct.vpcendpointid", "vpcEndpointId");
        str(m, "ct.eventcategory", "eventCategory");
        str(m, "ct.addendum.reason", "addendum", "reason");
        str(m, "ct.addendum.updatedfields", "addendum", "updatedFields");
        str(m, "ct.addendum.originalrequestid", "addendum", "originalRequestID");
        str(m, "ct.addendum.originaleventid", "addendum", "originalEventID");
        put(m, booleanKey("ct.sessioncredentialfromconsole", "sessionCredentialFromConsole"));
        str(m, "ct.edgedevicedetails", "edgeDeviceDetails");
        str(m, "ct.tlsdetails.tlsversion", "tlsDetails", "tlsVersion");
        str(m, "ct.tlsdetails.ciphersuite", "tlsDetails", "cipherSuite");
        str(m, "ct.tlsdetails.clientprovidedhostheader", "tlsDetails", "clientProvidedHostHeader");
        put(m, compactJson("ct.additionaleventdata", "additionalEventData"));
        computed(m, "s3.uri", ValueType.STRING, CloudTrailValues::s3Uri);
        str(m, "s3.bucket", CloudTrailValues.BUCKET);
        str(m, "s3.key", CloudTrailValues.KEY);
        computed(m, "s3.bytes", ValueType.NUMBER, CloudTrailValues::s3Bytes);
        computed(m, "s3.bytes.in", ValueType.NUMBER, CloudTrailValues::bytesIn);
        computed(m, "s3.bytes.out", ValueType.NUMBER, CloudTrailValues::bytesOut);
        computed(m, "s3.cnt.get", ValueType.NUMBER, CloudTrailValues::s3CountGet);
        computed(m, "s3.cnt.put", ValueType.NUMBER, CloudTrailValues::s3CountPut);
        computed(m, "s3.cnt.other", ValueType.NUMBER, CloudTrailValues::s3CountOther);
        computed(m, "ec2.name", ValueType.STRING, CloudTrailValues::ec2Name);
        computed(m, "ec2.imageid", ValueType.STRING, r -> CloudTrailValues.imageIdAt(r, 0));
        str(m, "ecr.repository", "requestParameters", "repositoryName");
        str(m, "ecr.imagetag", "requestParameters", "imageTag");
        str(m, "iam.role", "requestParameters", "roleName");
        str(m, "iam.policy", "requestParameters", "policyName");
        // Sysdig Cloud Connector dialect (mixed case, exactly as Sysdig spells them).
        str(m, "aws.eventName", CloudTrailValues.EVENT_NAME);
        str(m, "aws.errorCode", CloudTrailValues.ERROR_CODE);
        computed(m, "aws.user", ValueType.STRING, CloudTrailValues::user);
        str(m, "aws.sourceIP", CloudTrailValues.SOURCE_IP);
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
            return CatalogueField.ofRecord(IMAGE_IDS + "[" + arg + "]", ValueType.STRING,
                    r -> CloudTrailValues.imageIdAt(r, index));
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
        put(m, stringAt(name, path));
    }

    private static void computed(Map<String, Field> m, String name, ValueType type,
                                 Function<ObjectNode, Object> fn) {
        put(m, CatalogueField.ofRecord(name, type, fn));
    }

    /** A string at a fixed path (first path found, for fallbacks), with GetStringBytes semantics. */
    private static Field stringAt(String name, String[]... paths) {
        return CatalogueField.ofRecord(name, ValueType.STRING, r -> {
            for (String[] path : paths) {
                JsonNode n = FastJson.get(r, path);
                if (n != null) {
                    return FastJson.stringOf(n);
                }
            }
            return null;
        });
    }

    /** A top-level boolean as "true"/"false"; absent when the key is missing, "false" when not a JSON boolean. */
    private static Field booleanKey(String name, String key) {
        return CatalogueField.ofRecord(name, ValueType.STRING, r -> {
            JsonNode n = r.get(key);
            if (n == null) {
                return null;
            }
            return n.isBoolean() && n.booleanValue() ? "true" : "false";
        });
    }

    /** A top-level value re-marshalled as compact JSON ({@code null} → "null"); absent when the key is missing. */
    private static Field compactJson(String name, String key) {
        return CatalogueField.ofRecord(name, ValueType.STRING, r -> {
            JsonNode n = r.get(key);
            return n == null ? null : Json.compact(n);
        });
    }
}
