package io.trailguard.rules.engine;

import java.util.Locale;

/** The kinds of AWS resource an event's request can target; outputs map them to their own resource types. */
public enum ResourceKind {
    IAM_USER, IAM_ROLE, IAM_GROUP, IAM_POLICY, IAM_ACCESS_KEY, IAM_INSTANCE_PROFILE,
    S3_BUCKET, EC2_INSTANCE, EC2_SECURITY_GROUP, EC2_SNAPSHOT, EC2_VOLUME, EC2_IMAGE, EC2_VPC, EC2_FLOW_LOG,
    EC2_KEY_PAIR, CLOUDTRAIL_TRAIL, KMS_KEY, LAMBDA_FUNCTION, RDS_DB_INSTANCE, RDS_DB_CLUSTER, RDS_DB_SNAPSHOT,
    RDS_DB_CLUSTER_SNAPSHOT, SECRETS_MANAGER_SECRET, SNS_TOPIC, SQS_QUEUE, GUARDDUTY_DETECTOR, CONFIG_RECORDER,
    CONFIG_DELIVERY_CHANNEL, SECURITY_HUB_HUB, ORGANIZATIONS_ACCOUNT, CLOUDWATCH_LOG_GROUP, SSM_PARAMETER, OTHER;

    /** The lower-case name used in the alert JSON ({@code iam_user}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a wire name; {@link #OTHER} when unknown (a newer writer's kind). */
    public static ResourceKind ofWireName(String s) {
        if (s == null) {
            return OTHER;
        }
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }
}
