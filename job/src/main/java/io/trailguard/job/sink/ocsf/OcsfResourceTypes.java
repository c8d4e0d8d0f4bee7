package io.trailguard.job.sink.ocsf;

import io.trailguard.rules.engine.ResourceKind;

import java.util.EnumMap;
import java.util.Map;

/**
 * The OCSF {@code resources[].type} of each kind of target resource: AWS's own resource type names
 * ({@code AWS::Service::Type}, as CloudFormation and AWS Config name them and Security Lake's OCSF sources write
 * them). Every {@link ResourceKind} has an entry; {@code OTHER} is {@code Other}.
 */
final class OcsfResourceTypes {
    private static final Map<ResourceKind, String> TYPES = new EnumMap<>(ResourceKind.class);

    static {
        TYPES.put(ResourceKind.IAM_USER, "AWS::IAM::User");
        TYPES.put(ResourceKind.IAM_ROLE, "AWS::IAM::Role");
        TYPES.put(ResourceKind.IAM_GROUP, "AWS::IAM::Group");
        TYPES.put(ResourceKind.IAM_POLICY, "AWS::IAM::Policy");
        TYPES.put(ResourceKind.IAM_ACCESS_KEY, "AWS::IAM::AccessKey");
        TYPES.put(ResourceKind.IAM_INSTANCE_PROFILE, "AWS::IAM::InstanceProfile");
        TYPES.put(ResourceKind.S3_BUCKET, "AWS::S3::Bucket");
        TYPES.put(ResourceKind.EC2_INSTANCE, "AWS::EC2::Instance");
        TYPES.put(ResourceKind.EC2_SECURITY_GROUP, "AWS::EC2::SecurityGroup");
        TYPES.put(ResourceKind.EC2_SNAPSHOT, "AWS::EC2::Snapshot");
        TYPES.put(ResourceKind.EC2_VOLUME, "AWS::EC2::Volume");
        TYPES.put(ResourceKind.EC2_IMAGE, "AWS::EC2::Image");
        TYPES.put(ResourceKind.EC2_VPC, "AWS::EC2::VPC");
        TYPES.put(ResourceKind.EC2_FLOW_LOG, "AWS::EC2::FlowLog");
        TYPES.put(ResourceKind.EC2_KEY_PAIR, "AWS::EC2::KeyPair");
        TYPES.put(ResourceKind.CLOUDTRAIL_TRAIL, "AWS::CloudTrail::Trail");
        TYPES.put(ResourceKind.KMS_KEY, "AWS::KMS::Key");
        TYPES.put(ResourceKind.LAMBDA_FUNCTION, "AWS::Lambda::Function");
        TYPES.put(ResourceKind.RDS_DB_INSTANCE, "AWS::RDS::DBInstance");
        TYPES.put(ResourceKind.RDS_DB_CLUSTER, "AWS::RDS::DBCluster");
        TYPES.put(ResourceKind.RDS_DB_SNAPSHOT, "AWS::RDS::DBSnapshot");
        TYPES.put(ResourceKind.RDS_DB_CLUSTER_SNAPSHOT, "AWS::RDS::DBClusterSnapshot");
        TYPES.put(ResourceKind.SECRETS_MANAGER_SECRET, "AWS::SecretsManager::Secret");
        TYPES.put(ResourceKind.SNS_TOPIC, "AWS::SNS::Topic");
        TYPES.put(ResourceKind.SQS_QUEUE, "AWS::SQS::Queue");
        TYPES.put(ResourceKind.GUARDDUTY_DETECTOR, "AWS::GuardDuty::Detector");
        TYPES.put(ResourceKind.CONFIG_RECORDER, "AWS::Config::ConfigurationRecorder");
        TYPES.put(ResourceKind.CONFIG_DELIVERY_CHANNEL, "AWS::Config::DeliveryChannel");
        TYPES.put(ResourceKind.SECURITY_HUB_HUB, "AWS::SecurityHub::Hub");
        TYPES.put(ResourceKind.ORGANIZATIONS_ACCOUNT, "AWS::Organizations::Account");
        TYPES.put(ResourceKind.CLOUDWATCH_LOG_GROUP, "AWS::Logs::LogGroup");
        TYPES.put(ResourceKind.SSM_PARAMETER, "AWS::SSM::Parameter");
        TYPES.put(ResourceKind.OTHER, "Other");
    }

    private OcsfResourceTypes() {
    }

    static String of(ResourceKind kind) {
        String t = TYPES.get(kind);
        if (t == null) {
            throw new IllegalStateException("no OCSF resource type for " + kind);
        }
        return t;
    }
}
