package io.trailguard.rules.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of {@code requestParameters} keys that name the resource a call targets, by service
 * ({@code eventSource}); {@code *} steps into every element of an array. Keys listed under {@code *} apply to
 * every service. Values may be names, ids or ARNs; outputs turn them into their own resource ids.
 */
public final class TargetKeys {
    /** One key: where it is under {@code requestParameters}, and what it names. */
    public static final class Key {
        private final List<String> path;
        private final ResourceKind kind;
        private final String from;

        Key(String path, ResourceKind kind) {
            this.path = List.of(path.split("/"));
            this.kind = kind;
            this.from = "requestParameters/" + path;
        }

        public List<String> path() {
            return path;
        }

        public ResourceKind kind() {
            return kind;
        }

        public String from() {
            return from;
        }
    }

    private static final Map<String, List<Key>> BY_SOURCE = new HashMap<>();

    static {
        keys("iam.amazonaws.com",
                "userName", ResourceKind.IAM_USER,
                "roleName", ResourceKind.IAM_ROLE,
                "groupName", ResourceKind.IAM_GROUP,
                "policyArn", ResourceKind.IAM_POLICY,
                "accessKeyId", ResourceKind.IAM_ACCESS_KEY,
                "instanceProfileName", ResourceKind.IAM_INSTANCE_PROFILE);
        keys("s3.amazonaws.com", "bucketName", ResourceKind.S3_BUCKET);
        keys("ec2.amazonaws.com",
                "instanceId", ResourceKind.EC2_INSTANCE,
                "instancesSet/items/*/instanceId", ResourceKind.EC2_INSTANCE,
                "groupId", ResourceKind.EC2_SECURITY_GROUP,
                "snapshotId", ResourceKind.EC2_SNAPSHOT,
                "volumeId", ResourceKind.EC2_VOLUME,
                "imageId", ResourceKind.EC2_IMAGE,
                "vpcId", ResourceKind.EC2_VPC,
                "keyName", ResourceKind.EC2_KEY_PAIR,
                "DeleteFlowLogsRequest/FlowLogId", ResourceKind.EC2_FLOW_LOG,
                "DeleteFlowLogsRequest/FlowLogId/content", ResourceKind.EC2_FLOW_LOG);
        keys("cloudtrail.amazonaws.com",
                "name", ResourceKind.CLOUDTRAIL_TRAIL,
                "trailName", ResourceKind.CLOUDTRAIL_TRAIL);
        keys("kms.amazonaws.com", "keyId", ResourceKind.KMS_KEY);
        keys("lambda.amazonaws.com", "functionName", ResourceKind.LAMBDA_FUNCTION);
        keys("rds.amazonaws.com",
                "dBInstanceIdentifier", ResourceKind.RDS_DB_INSTANCE,
                "dBClusterIdentifier", ResourceKind.RDS_DB_CLUSTER,
                "dBSnapshotIdentifier", ResourceKind.RDS_DB_SNAPSHOT,
                "dBClusterSnapshotIdentifier", ResourceKind.RDS_DB_CLUSTER_SNAPSHOT);
        keys("secretsmanager.amazonaws.com", "secretId", ResourceKind.SECRETS_MANAGER_SECRET);
        keys("sns.amazonaws.com", "topicArn", ResourceKind.SNS_TOPIC);
        keys("sqs.amazonaws.com", "queueUrl", ResourceKind.SQS_QUEUE);
        keys("guardduty.amazonaws.com", "detectorId", ResourceKind.GUARDDUTY_DETECTOR);
        keys("config.amazonaws.com",
                "configurationRecorderName", ResourceKind.CONFIG_RECORDER,
                "deliveryChannelName", ResourceKind.CONFIG_DELIVERY_CHANNEL);
        keys("securityhub.amazonaws.com", "hubArn", ResourceKind.SECURITY_HUB_HUB);
        keys("organizations.amazonaws.com", "accountId", ResourceKind.ORGANIZATIONS_ACCOUNT);
        keys("logs.amazonaws.com", "logGroupName", ResourceKind.CLOUDWATCH_LOG_GROUP);
        keys("ssm.amazonaws.com", "name", ResourceKind.SSM_PARAMETER);
    }

    private TargetKeys() {
    }

    private static void keys(String source, Object... pairs) {
        List<Key> list = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            list.add(new Key((String) pairs[i], (ResourceKind) pairs[i + 1]));
        }
        BY_SOURCE.put(source, Collections.unmodifiableList(list));
    }

    /** The keys that name targets of calls to {@code eventSource} (empty for an unlisted service). */
    public static List<Key> forSource(String eventSource) {
        return eventSource == null ? List.of() : BY_SOURCE.getOrDefault(eventSource, List.of());
    }

    /** The services the table knows. */
    public static List<String> sources() {
        List<String> s = new ArrayList<>(BY_SOURCE.keySet());
        Collections.sort(s);
        return s;
    }

    private static final Map<String, ResourceKind> ARN_KINDS = new HashMap<>();

    static {
        for (Object[] row : new Object[][] {
                {"iam:user", ResourceKind.IAM_USER}, {"iam:role", ResourceKind.IAM_ROLE},
                {"iam:group", ResourceKind.IAM_GROUP}, {"iam:policy", ResourceKind.IAM_POLICY},
                {"iam:instance-profile", ResourceKind.IAM_INSTANCE_PROFILE},
                {"s3:", ResourceKind.S3_BUCKET}, {"ec2:instance", ResourceKind.EC2_INSTANCE},
                {"ec2:security-group", ResourceKind.EC2_SECURITY_GROUP}, {"ec2:snapshot", ResourceKind.EC2_SNAPSHOT},
                {"ec2:volume", ResourceKind.EC2_VOLUME}, {"ec2:image", ResourceKind.EC2_IMAGE},
                {"ec2:vpc", ResourceKind.EC2_VPC}, {"ec2:vpc-flow-log", ResourceKind.EC2_FLOW_LOG},
                {"ec2:key-pair", ResourceKind.EC2_KEY_PAIR}, {"cloudtrail:trail", ResourceKind.CLOUDTRAIL_TRAIL},
                {"kms:key", ResourceKind.KMS_KEY}, {"lambda:function", ResourceKind.LAMBDA_FUNCTION},
                {"rds:db", ResourceKind.RDS_DB_INSTANCE}, {"rds:cluster", ResourceKind.RDS_DB_CLUSTER},
                {"rds:snapshot", ResourceKind.RDS_DB_SNAPSHOT},
                {"rds:cluster-snapshot", ResourceKind.RDS_DB_CLUSTER_SNAPSHOT},
                {"secretsmanager:secret", ResourceKind.SECRETS_MANAGER_SECRET},
                {"guardduty:detector", ResourceKind.GUARDDUTY_DETECTOR},
                {"logs:log-group", ResourceKind.CLOUDWATCH_LOG_GROUP}, {"ssm:parameter", ResourceKind.SSM_PARAMETER},
                {"securityhub:hub", ResourceKind.SECURITY_HUB_HUB}}) {
            ARN_KINDS.put((String) row[0], (ResourceKind) row[1]);
        }
    }

    /**
     * The kind of resource an ARN names, from its service and resource type
     * ({@code arn:aws:iam::123456789012:role/x} is {@link ResourceKind#IAM_ROLE}); SNS topics and SQS queues have no
     * resource type in their ARNs. {@link ResourceKind#OTHER} when unknown or not an ARN.
     */
    public static ResourceKind kindOfArn(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return ResourceKind.OTHER;
        }
        String[] p = arn.split(":", 6);
        if (p.length < 6) {
            return ResourceKind.OTHER;
        }
        String service = p[2];
        if (service.equals("sns")) {
            return ResourceKind.SNS_TOPIC;
        }
        if (service.equals("sqs")) {
            return ResourceKind.SQS_QUEUE;
        }
        if (service.equals("s3")) {
            return p[5].contains("/") ? ResourceKind.OTHER : ResourceKind.S3_BUCKET;
        }
        String rest = p[5];
        int cut = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == ':') {
                cut = i;
                break;
            }
        }
        ResourceKind k = ARN_KINDS.get(service + ":" + rest.substring(0, cut));
        return k == null ? ResourceKind.OTHER : k;
    }
}
