package io.trailguard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic CloudTrail records made from templates (a deterministic mix of read-only calls, IAM and EC2
 * changes, S3 data events, console logins, and errors), so benchmarks and their smoke tests run without
 * ../shared. The shape follows the CloudTrail record reference: userIdentity by type, requestParameters,
 * responseElements, tlsDetails and so on.
 */
public final class SyntheticEvents {
    private static final String[][] CALLS = {
        {"iam.amazonaws.com", "GetRole"}, {"iam.amazonaws.com", "ListRoles"}, {"iam.amazonaws.com", "CreateUser"},
        {"iam.amazonaws.com", "AttachUserPolicy"}, {"iam.amazonaws.com", "PutRolePolicy"},
        {"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "RunInstances"},
        {"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"}, {"ec2.amazonaws.com", "DescribeSecurityGroups"},
        {"s3.amazonaws.com", "GetObject"}, {"s3.amazonaws.com", "PutObject"}, {"s3.amazonaws.com", "ListBuckets"},
        {"s3.amazonaws.com", "PutBucketPolicy"}, {"sts.amazonaws.com", "AssumeRole"},
        {"sts.amazonaws.com", "GetCallerIdentity"}, {"kms.amazonaws.com", "Decrypt"},
        {"secretsmanager.amazonaws.com", "GetSecretValue"}, {"cloudtrail.amazonaws.com", "LookupEvents"},
        {"signin.amazonaws.com", "ConsoleLogin"}, {"lambda.amazonaws.com", "ListFunctions20150331"},
    };
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"};

    private SyntheticEvents() {}

    public static List<ObjectNode> records(int count, long seed) {
        Random r = new Random(seed);
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<ObjectNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] call = CALLS[r.nextInt(CALLS.length)];
            String account = String.format("%012d", 100000000000L + r.nextInt(5));
            ObjectNode e = f.objectNode();
            e.put("eventVersion", "1.08");
            ObjectNode ui = e.putObject("userIdentity");
            boolean role = r.nextInt(3) > 0;
            if (role) {
                String roleName = "role-" + r.nextInt(20);
                ui.put("type", "AssumedRole");
                ui.put("principalId", "AROAEXAMPLE" + r.nextInt(1000) + ":session-" + r.nextInt(50));
                ui.put("arn", "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/session-" + r.nextInt(50));
                ui.put("accountId", account);
                ui.put("accessKeyId", "ASIAEXAMPLE" + r.nextInt(100000));
                ObjectNode sc = ui.putObject("sessionContext");
                ObjectNode issuer = sc.putObject("sessionIssuer");
                issuer.put("type", "Role");
                issuer.put("arn", "arn:aws:iam::" + account + ":role/" + roleName);
                issuer.put("userName", roleName);
                sc.putObject("attributes").put("creationDate", "2023-07-10T10:00:00Z").put("mfaAuthenticated", "false");
            } else {
                String user = "user-" + r.nextInt(30);
                ui.put("type", r.nextInt(50) == 0 ? "Root" : "IAMUser");
                ui.put("principalId", "AIDAEXAMPLE" + r.nextInt(1000));
                ui.put("arn", "arn:aws:iam::" + account + ":user/" + user);
                ui.put("accountId", account);
                ui.put("userName", user);
            }
            e.put("eventTime", String.format("2023-07-10T%02d:%02d:%02dZ", 10 + r.nextInt(3), r.nextInt(60), r.nextInt(60)));
            e.put("eventSource", call[0]);
            e.put("eventName", call[1]);
            e.put("awsRegion", REGIONS[r.nextInt(REGIONS.length)]);
            e.put("sourceIPAddress", r.nextInt(4) == 0 ? "AWS Internal" : "198.51.100." + r.nextInt(255));
            e.put("userAgent", r.nextBoolean() ? "aws-cli/2.13.0 Python/3.11.4 Linux/5.15 exe/x86_64"
                    : "Boto3/1.28.0 Python/3.11.4 Linux/5.15 Botocore/1.31.0");
            ObjectNode req = e.putObject("requestParameters");
            switch (call[1]) {
                case "AuthorizeSecurityGroupIngress": {
                    req.put("groupId", "sg-" + Integer.toHexString(r.nextInt()));
                    ArrayNode items = req.putObject("ipPermissions").putArray("items");
                    ObjectNode perm = items.addObject().put("ipProtocol", "tcp").put("fromPort", 22).put("toPort", 22);
                    perm.putObject("ipRanges").putArray("items").addObject()
                            .put("cidrIp", r.nextInt(10) == 0 ? "0.0.0.0/0" : "10.0.0.0/8");
                    break;
                }
                case "AttachUserPolicy":
                    req.put("userName", "user-" + r.nextInt(30));
                    req.put("policyArn", r.nextInt(10) == 0 ? "arn:aws:iam::aws:policy/AdministratorAccess"
                            : "arn:aws:iam::aws:policy/ReadOnlyAccess");
                    break;
                case "GetObject":
                case "PutObject":
                    req.put("bucketName", "bucket-" + r.nextInt(10));
                    req.put("key", "data/" + r.nextInt(100000) + ".csv");
                    e.putObject("additionalEventData").put("bytesTransferredOut", r.nextInt(100000));
                    break;
                default:
                    req.put("maxResults", 100);
                    break;
            }
            if (call[1].equals("ConsoleLogin")) {
                e.putNull("requestParameters");
                e.putObject("responseElements").put("ConsoleLogin", r.nextInt(5) == 0 ? "Failure" : "Success");
                e.putObject("additionalEventData").put("MFAUsed", r.nextBoolean() ? "Yes" : "No");
            } else {
                e.putNull("responseElements");
            }
            if (r.nextInt(15) == 0) {
                e.put("errorCode", "AccessDenied");
                e.put("errorMessage", "User is not authorized to perform this operation");
            }
            e.put("requestID", Integer.toHexString(r.nextInt()));
            e.put("eventID", Integer.toHexString(r.nextInt()));
            e.put("readOnly", call[1].startsWith("Get") || call[1].startsWith("List") || call[1].startsWith("Describe"));
            e.put("eventType", call[1].equals("ConsoleLogin") ? "AwsConsoleSignIn" : "AwsApiCall");
            e.put("managementEvent", !call[1].endsWith("Object"));
            e.put("recipientAccountId", account);
            e.put("eventCategory", call[1].endsWith("Object") ? "Data" : "Management");
            e.putObject("tlsDetails").put("tlsVersion", "TLSv1.3").put("cipherSuite", "TLS_AES_128_GCM_SHA256");
            out.add(e);
        }
        return out;
    }
}
