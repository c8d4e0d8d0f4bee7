package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventSubject;
import io.trailguard.rules.engine.ResourceKind;
import io.trailguard.rules.engine.TargetKeys;
import io.trailguard.rules.engine.TargetResource;
import software.amazon.awssdk.services.securityhub.model.AwsIamPolicyDetails;
import software.amazon.awssdk.services.securityhub.model.AwsIamRoleDetails;
import software.amazon.awssdk.services.securityhub.model.AwsIamUserDetails;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.ResourceDetails;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ASFF {@code Resources} of an alert, from its {@link EventSubject}: the principal ({@code Actor}) first, then
 * every target resource ({@code Target}), typed by {@link #TYPES}, the table from {@link ResourceKind} to the ASFF
 * resource type and the ARN a name or id becomes. A value that already is an ARN is kept as the id (AWS-managed
 * policies {@code arn:aws:iam::aws:policy/...} included). No subject: the account.
 */
final class FindingResources {
    static final int MAX_RESOURCES = 10; // ASFF allows 32; a finding names the principal and a few targets
    static final int MAX_RESOURCE_ID = 512;
    static final int MAX_OTHER_VALUE = 1023;

    private static final Pattern ARN = Pattern.compile("arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\\d{12}|aws)?:(.+)");

    /** Where one resource lives: partition, Region and account of the event. */
    static final class Place {
        final String partition;
        final String region;
        final String account;

        Place(String partition, String region, String account) {
            this.partition = partition;
            this.region = region;
            this.account = account;
        }
    }

    /** One row: the ASFF type and how a name or id becomes the resource id. */
    static final class Row {
        final String type;
        final Function<Place, Function<String, String>> id;

        Row(String type, Function<Place, Function<String, String>> id) {
            this.type = type;
            this.id = id;
        }
    }

    /** The table: kind of target -> ASFF resource type and id. */
    static final Map<ResourceKind, Row> TYPES = new EnumMap<>(ResourceKind.class);

    static {
        row(ResourceKind.IAM_USER, "AwsIamUser", p -> n -> "arn:" + p.partition + ":iam::" + p.account + ":user/" + n);
        row(ResourceKind.IAM_ROLE, "AwsIamRole", p -> n -> "arn:" + p.partition + ":iam::" + p.account + ":role/" + n);
        row(ResourceKind.IAM_GROUP, "AwsIamGroup",
                p -> n -> "arn:" + p.partition + ":iam::" + p.account + ":group/" + n);
        row(ResourceKind.IAM_POLICY, "AwsIamPolicy",
                p -> n -> "arn:" + p.partition + ":iam::" + p.account + ":policy/" + n);
        row(ResourceKind.IAM_ACCESS_KEY, "AwsIamAccessKey", p -> n -> n);
        row(ResourceKind.S3_BUCKET, "AwsS3Bucket", p -> n -> "arn:" + p.partition + ":s3:::" + n);
        row(ResourceKind.EC2_INSTANCE, "AwsEc2Instance", p -> n -> ec2(p, "instance", n));
        row(ResourceKind.EC2_SECURITY_GROUP, "AwsEc2SecurityGroup", p -> n -> ec2(p, "security-group", n));
        row(ResourceKind.EC2_VOLUME, "AwsEc2Volume", p -> n -> ec2(p, "volume", n));
        row(ResourceKind.EC2_VPC, "AwsEc2Vpc", p -> n -> ec2(p, "vpc", n));
        row(ResourceKind.CLOUDTRAIL_TRAIL, "AwsCloudTrailTrail",
                p -> n -> "arn:" + p.partition + ":cloudtrail:" + p.region + ":" + p.account + ":trail/" + n);
        row(ResourceKind.KMS_KEY, "AwsKmsKey",
                p -> n -> "arn:" + p.partition + ":kms:" + p.region + ":" + p.account + ":"
                        + (n.startsWith("alias/") ? n : "key/" + n));
        row(ResourceKind.LAMBDA_FUNCTION, "AwsLambdaFunction",
                p -> n -> "arn:" + p.partition + ":lambda:" + p.region + ":" + p.account + ":function:" + n);
        row(ResourceKind.RDS_DB_INSTANCE, "AwsRdsDbInstance", p -> n -> rds(p, "db", n));
        row(ResourceKind.RDS_DB_CLUSTER, "AwsRdsDbCluster", p -> n -> rds(p, "cluster", n));
        row(ResourceKind.RDS_DB_SNAPSHOT, "AwsRdsDbSnapshot", p -> n -> rds(p, "snapshot", n));
        row(ResourceKind.RDS_DB_CLUSTER_SNAPSHOT, "AwsRdsDbClusterSnapshot", p -> n -> rds(p, "cluster-snapshot", n));
        row(ResourceKind.SECRETS_MANAGER_SECRET, "AwsSecretsManagerSecret",
                p -> n -> "arn:" + p.partition + ":secretsmanager:" + p.region + ":" + p.account + ":secret:" + n);
        row(ResourceKind.SNS_TOPIC, "AwsSnsTopic",
                p -> n -> "arn:" + p.partition + ":sns:" + p.region + ":" + p.account + ":" + n);
        row(ResourceKind.SQS_QUEUE, "AwsSqsQueue", p -> n -> n);
        row(ResourceKind.GUARDDUTY_DETECTOR, "AwsGuardDutyDetector",
                p -> n -> "arn:" + p.partition + ":guardduty:" + p.region + ":" + p.account + ":detector/" + n);
        row(ResourceKind.ORGANIZATIONS_ACCOUNT, "AwsAccount", p -> n -> "AWS::::Account:" + n);
        for (ResourceKind k : ResourceKind.values()) {
            TYPES.putIfAbsent(k, new Row("Other", p -> n -> n));
        }
    }

    private FindingResources() {
    }

    private static void row(ResourceKind kind, String type, Function<Place, Function<String, String>> id) {
        TYPES.put(kind, new Row(type, id));
    }

    private static String ec2(Place p, String type, String id) {
        return "arn:" + p.partition + ":ec2:" + p.region + ":" + p.account + ":" + type + "/" + id;
    }

    private static String rds(Place p, String type, String id) {
        return "arn:" + p.partition + ":rds:" + p.region + ":" + p.account + ":" + type + ":" + id;
    }

    static List<Resource> of(Alert a, Place place) {
        Map<String, Resource> out = new LinkedHashMap<>();
        EventSubject s = a.subject();
        if (s.principalArn() != null) {
            add(out, principal(s.principalArn(), place));
        } else if (s.principalName() != null) {
            add(out, other(s.principalName(), "Actor", place));
        }
        for (TargetResource t : s.resources()) {
            add(out, target(t, place));
        }
        if (out.isEmpty()) {
            add(out, typed("AwsAccount", "AWS::::Account:" + place.account, "Target", place, null));
        }
        return new ArrayList<>(out.values());
    }

    /** The resource a target names; an ARN value is typed by its own service and resource type. */
    static Resource target(TargetResource t, Place place) {
        String v = t.value();
        ResourceKind kind = t.kind();
        Row row = TYPES.get(kind);
        String id = v.startsWith("arn:") || "Other".equals(row.type) ? v : row.id.apply(place).apply(v);
        if (v.startsWith("arn:") && TargetKeys.kindOfArn(v) != ResourceKind.OTHER) {
            row = TYPES.get(TargetKeys.kindOfArn(v));
        }
        ResourceDetails details = details(row.type, id, v);
        if ("Other".equals(row.type)) {
            Map<String, String> other = new LinkedHashMap<>();
            other.put("Kind", kind.wireName());
            if (t.from() != null) {
                other.put("From", Text.truncateChars(t.from(), MAX_OTHER_VALUE));
            }
            details = ResourceDetails.builder().other(other).build();
        }
        return typed(row.type, id, "Target", place, details);
    }

    private static ResourceDetails details(String type, String id, String value) {
        String name = value.startsWith("arn:") ? value.substring(Math.max(value.lastIndexOf('/'),
                value.lastIndexOf(':')) + 1) : value;
        name = Text.truncateChars(name, 256);
        switch (type) {
            case "AwsIamUser":
                return ResourceDetails.builder().awsIamUser(AwsIamUserDetails.builder().userName(name).build())
                        .build();
            case "AwsIamRole":
                return ResourceDetails.builder().awsIamRole(AwsIamRoleDetails.builder().roleName(name).build())
                        .build();
            case "AwsIamPolicy":
                return ResourceDetails.builder().awsIamPolicy(AwsIamPolicyDetails.builder().policyName(name).build())
                        .build();
            default:
                return null;
        }
    }

    /** The principal: IAM users and roles typed, an assumed-role session as its role, anything else Other. */
    static Resource principal(String arn, Place place) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            return other(arn, "Actor", place);
        }
        String partition = m.group(1);
        String service = m.group(2);
        String account = m.group(4);
        String resource = m.group(5);
        Place p = new Place(partition, place.region, account == null ? place.account : account);
        if (service.equals("iam") && (resource.startsWith("user/") || resource.startsWith("role/"))) {
            String type = resource.startsWith("user/") ? "AwsIamUser" : "AwsIamRole";
            return typed(type, arn, "Actor", p, details(type, arn, arn));
        }
        if (service.equals("sts") && resource.startsWith("assumed-role/") && account != null) {
            String[] parts = resource.split("/", 3);
            Map<String, String> other = new LinkedHashMap<>();
            other.put("SessionArn", Text.truncateChars(arn, MAX_OTHER_VALUE));
            if (parts.length > 2) {
                other.put("SessionName", Text.truncateChars(parts[2], MAX_OTHER_VALUE));
            }
            return typed("AwsIamRole", "arn:" + partition + ":iam::" + account + ":role/" + parts[1], "Actor", p,
                    ResourceDetails.builder()
                            .awsIamRole(AwsIamRoleDetails.builder().roleName(Text.truncateChars(parts[1], 256)).build())
                            .other(other).build());
        }
        return other(arn, "Actor", place);
    }

    private static Resource typed(String type, String id, String role, Place place, ResourceDetails details) {
        String cleanId = cleanId(id);
        if (cleanId == null) {
            return null;
        }
        Resource.Builder b = Resource.builder().type(type).id(cleanId).partition(place.partition)
                .region(place.region).resourceRole(role);
        if (details != null) {
            b.details(details);
        }
        return b.build();
    }

    private static Resource other(String id, String role, Place place) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ResourceRole", role);
        return typed("Other", id, role, place, ResourceDetails.builder().other(details).build());
    }

    private static void add(Map<String, Resource> out, Resource r) {
        if (r != null && out.size() < MAX_RESOURCES && !out.containsKey(r.id())) {
            out.put(r.id(), r);
        }
    }

    static String cleanId(String id) {
        if (id == null) {
            return null;
        }
        String s = Text.repairSurrogates(Text.oneLine(id)).trim();
        return Text.hasNonWhitespace(s) ? Text.truncateChars(s, MAX_RESOURCE_ID) : null;
    }
}
