package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replaying the whole invictus-ir/aws_dataset (one hour in which every Stratus technique of mid-2023 was run with
 * its Terraform warm-up and cleanup, amid console browsing, scripts and AWS-internal traffic) gives a short list of
 * alerts, each explained below. The exact counts are pinned so that a change to a rule shows here.
 */
class InvictusReplayTest {
    static final String DATASET = "corpora/invictus-ir-aws_dataset/CloudTrail";

    /** Alerts per rule, with why each is expected. */
    static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

    static {
        // ---- detonations (attack traffic, user agent stratus-red-team_*) ----
        EXPECTED.put("EC2 Windows Password Data Retrieval Failures", 1);      // ec2-get-password-data: 29 refused calls
        EXPECTED.put("Access Denied Burst From Principal", 2);                // the same, and ec2-download-user-data
        EXPECTED.put("EC2 User Data Retrieved From Many Instances", 1);       // ec2-download-user-data (15 instances)
        EXPECTED.put("SSM Command Sent to Instances", 1);                     // ec2-steal-instance-credentials
        EXPECTED.put("EC2 Instance Credentials Used for GetCallerIdentity", 1); // the stolen instance credentials
        EXPECTED.put("Secrets Retrieval Burst", 1);                           // secretsmanager + ssm retrieve (one burst)
        EXPECTED.put("CloudTrail Event Selectors Reduce Logging", 1);         // cloudtrail-event-selectors
        EXPECTED.put("S3 Lifecycle Rule Expires Objects Quickly", 1);         // cloudtrail-lifecycle-rule
        EXPECTED.put("Leave Organization Attempt Failed", 1);                 // organizations-leave (AccessDenied)
        EXPECTED.put("VPC Flow Logs Deleted", 1);                             // vpc-remove-flow-logs
        EXPECTED.put("EC2 Unusual Instance Type Launch Attempt Failed", 2);   // ec2-launch-unusual-instances, run twice
        EXPECTED.put("Security Group Ingress Opened to the Internet", 1);     // ec2-security-group-open-port-22-ingress
        EXPECTED.put("EC2 AMI Shared Outside the Account", 1);                // ec2-share-ami
        EXPECTED.put("EC2 Snapshot Shared Outside the Account", 1);           // ec2-share-ebs-snapshot
        EXPECTED.put("RDS Snapshot Shared Outside the Account", 1);           // rds-share-snapshot
        EXPECTED.put("S3 Bucket Policy Grants Access to External Account", 1); // s3-backdoor-bucket-policy
        EXPECTED.put("IAM User Console Login Without MFA", 1);                // console-login-without-mfa
        EXPECTED.put("IAM Role Trust Policy Allows External Account", 1);     // iam-backdoor-role
        EXPECTED.put("IAM Access Key Created for Another User", 2);           // iam-backdoor-user, iam-create-admin-user
        EXPECTED.put("IAM User Created", 1);                                  // iam-create-admin-user
        EXPECTED.put("IAM Administrator Policy Attached to User", 1);         // iam-create-admin-user
        EXPECTED.put("IAM Login Profile Created for Another User", 2);        // iam-create-user-login-profile, and the
                                                                              // warm-up of console-login-without-mfa
        EXPECTED.put("Lambda Function Policy Allows External Principal", 1);  // lambda-backdoor-function
        EXPECTED.put("Lambda Function Code Updated", 2);                      // lambda-overwrite-code and its revert
        EXPECTED.put("IAM Roles Anywhere Trust Anchor Created", 1);           // rolesanywhere-create-trust-anchor
        // ---- warm-up and cleanup by Terraform (IaC through a person's access keys, so still reported) ----
        EXPECTED.put("IAM Administrator Policy Attached to Role", 1);         // warm-up of iam-backdoor-role
        EXPECTED.put("IAM Inline Policy Allows All Resources on Role", 1);    // flow-logs role gets logs:* on *
        EXPECTED.put("CloudTrail Trail Created or Changed", 5);               // two trails created and started,
                                                                              // selectors restored by the revert
        EXPECTED.put("CloudTrail Trail Deleted", 2);                          // cleanup of those two trails
        EXPECTED.put("EC2 AMI Deregistered", 1);                              // cleanup of ec2-share-ami
        // ---- CIS 4.x digests: one per principal and 10-minute window with such changes ----
        EXPECTED.put("Unauthorized API Calls", 5);                            // 4.1: the refused calls above, plus
                                                                              // AssumeRole retries while roles propagate
        EXPECTED.put("IAM Policy Changes", 3);                                // 4.4
        EXPECTED.put("S3 Bucket Policy Changes", 2);                          // 4.8
        EXPECTED.put("Security Group Changes", 1);                            // 4.10
        EXPECTED.put("Network Gateway Changes", 3);                           // 4.12
        EXPECTED.put("Route Table Changes", 3);                               // 4.13
        EXPECTED.put("VPC Changes", 3);                                       // 4.14
    }

    static List<CloudTrailEvent> events;
    static List<Alert> delivered;

    @BeforeAll
    static void replay() throws Exception {
        Path dir = Shared.require(DATASET);
        events = CorpusReplay.read(List.of(dir));
        delivered = CorpusReplay.delivered(Packs.rules(), events);
    }

    @Test
    void theWholeDatasetGivesTheReviewedAlerts() {
        assertThat(events).hasSize(2900);
        assertThat(CorpusReplay.countByRule(delivered)).isEqualTo(new java.util.TreeMap<>(EXPECTED));
        assertThat(delivered).hasSize(EXPECTED.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void deliveryOrderGivesTheSameAlertsAsEventTimeOrder() {
        Map<String, Integer> sorted = CorpusReplay.countByRule(
                io.trailguard.rules.fixtures.FixtureRunner.alerts(Packs.rules(), events, 0, true));
        assertThat(sorted).isEqualTo(CorpusReplay.countByRule(delivered));
    }

    @Test
    void theSecretsBurstFiresOnTheAttackNotOnTerraform() {
        Map<String, CloudTrailEvent> byId = new HashMap<>();
        for (CloudTrailEvent e : events) {
            byId.put(e.eventId(), e);
        }
        List<Alert> bursts = delivered.stream().filter(a -> a.rule().name().equals("Secrets Retrieval Burst"))
                .collect(Collectors.toList());
        assertThat(bursts).hasSize(1);
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) bursts.get(0).rate().toMap().get("event_ids");
        assertThat(ids).hasSizeGreaterThanOrEqualTo(5);
        for (String id : ids) {
            CloudTrailEvent e = byId.get(id);
            assertThat(e.eventName()).isEqualTo("GetSecretValue");
            assertThat(e.text("userAgent")).startsWith("stratus-red-team_");
        }
    }

    @Test
    void backgroundTrafficRaisesNothing() {
        // console browsing (10.x addresses), a boto3 script, AWS Health, Secrets Manager rotation and services
        assertThat(delivered).noneSatisfy(a -> {
            String ip = String.valueOf(a.outputFields().get("ct.srcip"));
            assertThat(ip.startsWith("10.") || ip.endsWith(".amazonaws.com") || ip.equals("AWS Internal")).isTrue();
        });
    }
}
