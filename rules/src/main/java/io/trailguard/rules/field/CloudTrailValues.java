package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.trailguard.rules.field.FastJson.get;
import static io.trailguard.rules.field.FastJson.stringAt;
import static io.trailguard.rules.field.FastJson.stringOf;
import static io.trailguard.rules.field.FastJson.textAt;
import static io.trailguard.rules.field.FastJson.topLevelTrue;
import static io.trailguard.rules.field.FastJson.u64;

/**
 * The computed values of the CloudTrail plugin's fields, as upstream computes them ({@code extract.go},
 * {@code cloudtrail.go}): users, {@code ct.info}, S3 and EC2 values. Each takes the record and returns the value,
 * or null when the field is absent.
 */
final class CloudTrailValues {
    private static final String AMAZONAWS_SUFFIX = ".amazonaws.com";

    static final String[] UI_TYPE = {"userIdentity", "type"};
    private static final String[] UI_USER_NAME = {"userIdentity", "userName"};
    private static final String[] UI_INVOKED_BY = {"userIdentity", "invokedBy"};
    static final String[] UI_ARN = {"userIdentity", "arn"};
    static final String[] UI_PRINCIPAL_ID = {"userIdentity", "principalId"};
    private static final String[] UI_ISSUER_USER_NAME =
            {"userIdentity", "sessionContext", "sessionIssuer", "userName"};
    static final String[] EVENT_NAME = {"eventName"};
    static final String[] SOURCE_IP = {"sourceIPAddress"};
    static final String[] ERROR_CODE = {"errorCode"};
    private static final String[] READ_ONLY = {"readOnly"};
    static final String[] BUCKET = {"requestParameters", "bucketName"};
    static final String[] KEY = {"requestParameters", "key"};
    static final String[] HOST = {"requestParameters", "Host"};
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

    private CloudTrailValues() {}

    static String shortSource(ObjectNode r) {
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

    static String originalUser(ObjectNode r) {
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

    static String resources(ObjectNode r) {
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

    private static String eventNameOrEmpty(ObjectNode r) {
        String n = textAt(r, EVENT_NAME);
        return n == null ? "" : n;
    }

    /** Last instance tag-specification item with a {@code Name} tag wins; absent when the name is empty. */
    static String ec2Name(ObjectNode r) {
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

    /** {@code ec2.imageids} without index: non-empty imageIds of the instances set, else the scalar fallbacks. */
    static List<String> imageIds(ObjectNode r) {
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
    static String imageIdAt(ObjectNode r, int index) {
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

    /** {@code s3.cnt.get}: 1 on GetObject, else absent. */
    static Long s3CountGet(ObjectNode r) {
        return "GetObject".equals(eventNameOrEmpty(r)) ? ONE : null;
    }

    /** {@code s3.cnt.put}: 1 on PutObject, else absent. */
    static Long s3CountPut(ObjectNode r) {
        return "PutObject".equals(eventNameOrEmpty(r)) ? ONE : null;
    }

    /** {@code s3.cnt.other}: 1 on any eventName but GetObject and PutObject, else absent. */
    static Long s3CountOther(ObjectNode r) {
        String n = eventNameOrEmpty(r);
        return n.equals("GetObject") || n.equals("PutObject") ? null : ONE;
    }

    static Long bytesIn(ObjectNode r) {
        return u64At(r, BYTES_IN);
    }

    static Long bytesOut(ObjectNode r) {
        return u64At(r, BYTES_OUT);
    }
}
