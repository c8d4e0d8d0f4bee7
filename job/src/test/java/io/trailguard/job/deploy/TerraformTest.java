package io.trailguard.job.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.metrics.MetricCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Terraform module without providers (terraform validate needs them): every file parses as HCL,
 * every reference resolves to a declared variable, local, resource or data source, the application's property
 * groups use only keys the job reads (and set the keys `run` requires), and IAM policies are least privilege:
 * no "*" action, and a "*" resource only with a comment explaining the API has no resource-level permissions.
 */
class TerraformTest {
    private static final Path DIR = Paths.get("..", "terraform");
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        assertThat(DIR).isDirectory();
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tf")).sorted().collect(Collectors.toList())) {
                FILES.put(p.getFileName().toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            }
        }
        assertThat(FILES.keySet()).contains("versions.tf", "variables.tf", "outputs.tf");
    }

    @Test
    void everyFileParses() throws Exception {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Map<String, Object> parsed = new HCLParser().parse(f.getValue(), true);
            assertThat(parsed).as(f.getKey()).isNotNull();
        }
    }

    @Test
    void everyReferenceResolves() {
        String all = String.join("\n", FILES.values());
        Set<String> variables = declared(all, "variable \"([a-z0-9_]+)\"");
        Set<String> resources = declared(all, "resource \"([a-z0-9_]+)\" \"([a-z0-9_]+)\"");
        Set<String> data = declared(all, "data \"([a-z0-9_]+)\" \"([a-z0-9_]+)\"");
        Set<String> locals = new HashSet<>();
        Matcher lb = Pattern.compile("(?s)locals \\{(.*?)\\n\\}").matcher(all);
        while (lb.find()) {
            Matcher k = Pattern.compile("(?m)^  ([a-z0-9_]+)\\s+=").matcher(lb.group(1));
            while (k.find()) {
                locals.add(k.group(1));
            }
        }
        String code = all.replaceAll("(?m)#.*$", "");
        List<String> missing = new ArrayList<>();
        Matcher v = Pattern.compile("\\bvar\\.([a-z0-9_]+)").matcher(code);
        while (v.find()) {
            if (!variables.contains(v.group(1))) {
                missing.add("var." + v.group(1));
            }
        }
        Matcher l = Pattern.compile("\\blocal\\.([a-z0-9_]+)").matcher(code);
        while (l.find()) {
            if (!locals.contains(l.group(1))) {
                missing.add("local." + l.group(1));
            }
        }
        Matcher d = Pattern.compile("\\bdata\\.([a-z0-9_]+)\\.([a-z0-9_]+)").matcher(code);
        while (d.find()) {
            if (!data.contains(d.group(1) + "." + d.group(2))) {
                missing.add("data." + d.group(1) + "." + d.group(2));
            }
        }
        Matcher r = Pattern.compile("(?<![.\\w\"])(aws_[a-z0-9_]+)\\.([a-z0-9_]+)\\b").matcher(code);
        while (r.find()) {
            if (!resources.contains(r.group(1) + "." + r.group(2))) {
                missing.add(r.group(1) + "." + r.group(2));
            }
        }
        assertThat(missing).as("undeclared references").isEmpty();
        // and nothing declared is left unused
        for (String var : variables) {
            assertThat(code).as("variable %s is used", var).contains("var." + var);
        }
    }

    @Test
    void propertyGroupKeysAreKeysTheJobReads() {
        String flink = FILES.get("flink.tf");
        Matcher m = Pattern.compile("(?s)property_map = merge\\(\\{(.*?)\\n\\s*\\}").matcher(flink);
        assertThat(m.find()).isTrue();
        Set<String> keys = new TreeSet<>();
        Matcher k = Pattern.compile("\"([a-z0-9_.]+)\"\\s*=").matcher(m.group(1));
        while (k.find()) {
            keys.add(k.group(1));
        }
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            assertThat(ConfigKey.of(key)).as("Terraform sets %s, which the job must read", key).isNotNull();
        }
        assertThat(keys).as("keys `run` needs").contains(ConfigKey.EVENTS_STREAM.key(), ConfigKey.CONTROL_STREAM.key(),
                ConfigKey.AWS_REGION.key(), ConfigKey.OUTPUTS.key());
        assertThat(flink).contains("property_group_id = \"trailguard\"").contains("runtime_environment    = \"FLINK-1_20\"");
    }

    @Test
    void iamPoliciesAreLeastPrivilege() {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            String[] lines = f.getValue().split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                Matcher actions = Pattern.compile("actions\\s*=\\s*\\[(.*)\\]").matcher(line);
                if (actions.find()) {
                    for (String a : actions.group(1).split(",")) {
                        String action = a.trim().replace("\"", "");
                        assertThat(action).as("%s:%d", f.getKey(), i + 1).isNotEqualTo("*").doesNotEndWith(":*");
                    }
                }
                if (line.matches("\\s*resources\\s*=\\s*\\[\\s*\"\\*\"\\s*\\]\\s*")) {
                    String before = String.join("\n", List.of(lines).subList(Math.max(0, i - 3), i));
                    assertThat(before).as("%s:%d: a \"*\" resource must say why", f.getKey(), i + 1)
                            .contains("no resource-level permissions");
                }
            }
        }
    }

    // ---- issue 19: defects of a real deployment ---------------------------------------------------------------

    /** Defect 1: an etag of a multipart upload is no MD5, so etag = filemd5() re-uploads and restarts every apply. */
    @Test
    void theJarObjectIsComparedBySourceHashNotEtag() {
        String jar = block(FILES.get("flink.tf"), "resource \"aws_s3_object\" \"jar\"");
        assertThat(code(jar)).doesNotContain("etag").contains("source_hash = filesha256(var.jar_path)");
    }

    /** Defect 3: every pattern for CloudTrail events accepts only sources beginning with "aws." (not forgeable). */
    @Test
    void everyCloudTrailPatternRequiresAnAwsSource() {
        List<String> rules = blocks("resource \"aws_cloudwatch_event_rule\" \"");
        assertThat(rules).isNotEmpty();
        String all = String.join("\n", FILES.values());
        for (String rule : rules) {
            Matcher m = Pattern.compile("event_pattern\\s*=\\s*local\\.([a-z0-9_]+)").matcher(rule);
            assertThat(m.find()).as("event_pattern of %s is a local", firstLine(rule)).isTrue();
            Matcher local = Pattern.compile("(?s)\\n  " + m.group(1) + " = jsonencode\\(\\{(.*?)\\n  \\}\\)").matcher(all);
            assertThat(local.find()).as("local.%s", m.group(1)).isTrue();
            assertThat(local.group(1)).contains("via CloudTrail")
                    .containsPattern("\"source\"\\s*=\\s*\\[\\{\\s*\"prefix\"\\s*=\\s*\"aws\\.\"\\s*\\}\\]");
        }
    }

    /** Defect 4: every EventBridge target has a dead-letter queue whose policy lets that target's rule send. */
    @Test
    void everyEventTargetHasADeadLetterQueueItsRuleMaySendTo() {
        List<String> targets = blocks("resource \"aws_cloudwatch_event_target\" \"");
        assertThat(targets).isNotEmpty();
        String all = String.join("\n", FILES.values());
        for (String target : targets) {
            Matcher dlq = Pattern.compile("(?s)dead_letter_config \\{\\s*arn\\s*=\\s*aws_sqs_queue\\.([a-z0-9_]+)\\.arn")
                    .matcher(target);
            assertThat(dlq.find()).as("%s has dead_letter_config", firstLine(target)).isTrue();
            Matcher rule = Pattern.compile("rule\\s*=\\s*aws_cloudwatch_event_rule\\.([a-z0-9_]+)(\\[0\\])?\\.name")
                    .matcher(target);
            assertThat(rule.find()).isTrue();
            String queue = dlq.group(1);
            assertThat(all).contains("resource \"aws_sqs_queue\" \"" + queue + "\"");
            String policy = block(all, "resource \"aws_sqs_queue_policy\" \"" + queue + "\"");
            Matcher doc = Pattern.compile("data\\.aws_iam_policy_document\\.([a-z0-9_]+)\\.json").matcher(policy);
            assertThat(doc.find()).isTrue();
            String statement = block(all, "data \"aws_iam_policy_document\" \"" + doc.group(1) + "\"");
            assertThat(code(statement)).contains("\"sqs:SendMessage\"").contains("aws_sqs_queue." + queue + ".arn")
                    .contains("\"events.amazonaws.com\"").contains("\"aws:SourceArn\"")
                    .containsAnyOf("aws_cloudwatch_event_rule." + rule.group(1) + ".arn",
                            "aws_cloudwatch_event_rule." + rule.group(1) + "[*].arn");
        }
    }

    /** Defect 5: signing bundles with KMS is possible (kms:Sign for the publisher) and verifying is configurable. */
    @Test
    void signedBundlesCanBeSwitchedOn() {
        String publisher = block(FILES.get("iam.tf"), "data \"aws_iam_policy_document\" \"publisher\"");
        assertThat(code(publisher)).contains("var.bundle_signing_key_arn").contains("[\"kms:Sign\"]");
        String map = propertyMap();
        assertThat(map).contains("\"bundles.require_signature\"").contains("\"bundles.verify_key\"");
        String verify = block(FILES.get("variables.tf"), "variable \"bundles_verify_key\"");
        assertThat(verify).contains("^kms-public:b64:");
    }

    /** Defect 7: the application waits for its role's policy; the role's logging grants match what is called. */
    @Test
    void theApplicationDependsOnItsPolicyAndLoggingIsLeastPrivilege() {
        String app = block(FILES.get("flink.tf"), "resource \"aws_kinesisanalyticsv2_application\" \"trailguard\"");
        assertThat(code(app)).contains("depends_on = [aws_iam_role_policy.flink]");
        String flink = block(FILES.get("iam.tf"), "data \"aws_iam_policy_document\" \"flink\"");
        String alertLines = statement(flink, "WriteAlertLines");
        assertThat(alertLines).doesNotContain("DescribeLogStreams").contains("aws_cloudwatch_log_group.alerts.arn")
                .doesNotContain("aws_cloudwatch_log_group.application");
    }

    /** Defect 7: kms_key_arn is refused as an alias (IAM matches key ARNs), accepted as a key ARN. */
    @Test
    void kmsKeyArnMustBeAKeyArn() {
        String v = block(FILES.get("variables.tf"), "variable \"kms_key_arn\"");
        Matcher m = Pattern.compile("regex\\(\"(.*?)\", var\\.kms_key_arn\\)").matcher(v);
        assertThat(m.find()).isTrue();
        Pattern arn = Pattern.compile(m.group(1).replace("\\\\", "\\"));
        assertThat(arn.matcher("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab").find()).isTrue();
        assertThat(arn.matcher("arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab").find()).isTrue();
        assertThat(arn.matcher("arn:aws:kms:eu-west-1:123456789012:alias/trailguard").find()).isFalse();
        assertThat(arn.matcher("alias/trailguard").find()).isFalse();
    }

    /** Defect 7: findings on a region without Security Hub fail the job: plan refuses unless it is acknowledged. */
    @Test
    void findingsNeedSecurityHubAcknowledged() {
        String app = block(FILES.get("flink.tf"), "resource \"aws_kinesisanalyticsv2_application\" \"trailguard\"");
        assertThat(code(app)).contains("precondition").contains(
                "condition     = !var.alerts_to_security_hub || var.enable_security_hub || var.security_hub_enabled_elsewhere");
    }

    /**
     * Every key the job reads on Managed Flink can be set: by the module's property map or by extra_properties,
     * whose allow-list names only keys the job reads. Keys that need a local machine are the only exceptions.
     */
    @Test
    void everyPropertyTheJobReadsIsSettable() {
        Set<String> localOnly = new TreeSet<>(Arrays.asList("aws.endpoint", "aws.profile", "rules.path", "checkpoint.interval",
                "checkpoint.dir", "checkpoint.restore", "checkpoint.fresh", "checkpoint.retained", "checkpoint.stop_timeout",
                "parallelism", "local.web_ui_port", "sink.dead_letter_path", "s3.endpoint", "sqs.endpoint"));
        String extra = block(FILES.get("variables.tf"), "variable \"extra_properties\"");
        Set<String> allowed = new TreeSet<>();
        Matcher k = Pattern.compile("\"([a-z0-9_.]+\\.[a-z0-9_.]+)\"").matcher(extra.substring(extra.indexOf("contains([")));
        while (k.find()) {
            allowed.add(k.group(1));
        }
        assertThat(extra).contains("startswith(k, \"kinesis.\")");
        for (String key : allowed) {
            assertThat(ConfigKey.of(key)).as("extra_properties allows %s, which the job must read", key).isNotNull();
            assertThat(localOnly).as("%s is local-only", key).doesNotContain(key);
        }
        Set<String> settable = new TreeSet<>(allowed);
        settable.addAll(propertyKeys());
        for (ConfigKey key : ConfigKey.values()) {
            if (key == ConfigKey.KINESIS_PASSTHROUGH || localOnly.contains(key.key())) {
                continue;
            }
            assertThat(settable).as("%s can be set through the property group", key.key()).contains(key.key());
        }
        assertThat(propertyMap()).contains("}, var.extra_properties)");
    }

    // ---- issue 18: ingestion paths -----------------------------------------------------------------------------

    /** ingestion = s3 | both: the queue, its dead-letter queue, the wiring and the job's least-privilege grants. */
    @Test
    void s3IngestionWiresTheQueueAndGrantsOnlyWhatTheSourceCalls() {
        String variable = block(FILES.get("variables.tf"), "variable \"ingestion\"");
        assertThat(variable).contains("contains([\"eventbridge\", \"s3\", \"both\"], var.ingestion)");
        String s3 = FILES.get("ingestion_s3.tf");
        String queue = block(s3, "resource \"aws_sqs_queue\" \"trail_notifications\"");
        assertThat(code(queue)).contains("deadLetterTargetArn = aws_sqs_queue.trail_notifications_dead_letters[0].arn")
                .contains("maxReceiveCount");
        String notification = block(s3, "resource \"aws_s3_bucket_notification\" \"trail\"");
        assertThat(code(notification)).contains("\"s3:ObjectCreated:*\"")
                .contains("filter_prefix = \"${var.trail_bucket_prefix}AWSLogs/\"");
        assertThat(code(block(s3, "resource \"aws_sns_topic_subscription\" \"trail\""))).contains("protocol             = \"sqs\"")
                .contains("raw_message_delivery = true");
        String policy = block(s3, "data \"aws_iam_policy_document\" \"trail_notifications\"");
        assertThat(code(policy)).contains("\"sqs:SendMessage\"").contains("\"aws:SourceArn\"");

        String flink = block(FILES.get("iam.tf"), "data \"aws_iam_policy_document\" \"flink\"");
        assertThat(actionsOf(flink, "ReadTrailNotifications")).containsExactlyInAnyOrder("sqs:ReceiveMessage",
                "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
        assertThat(actionsOf(flink, "ReadTrailLogFiles")).containsExactly("s3:GetObject");
        assertThat(code(flink)).contains("[local.trail_logs_arn]").contains("[var.trail_kms_key_arn]");
        assertThat(actionsOf(flink, "DecryptTrailLogFiles")).containsExactly("kms:Decrypt");
        assertThat(s3).contains("trail_logs_arn     = \"${local.trail_bucket_arn}/${var.trail_bucket_prefix}AWSLogs/*\"");

        assertThat(propertyMap()).contains("\"events.queue\"                 = local.s3_ingestion ? "
                + "aws_sqs_queue.trail_notifications[0].url : \"\"");
        assertThat(code(block(FILES.get("eventbridge.tf"), "resource \"aws_cloudwatch_event_rule\" \"cloudtrail\"")))
                .contains("var.ingestion == \"s3\" ? \"DISABLED\"");
        assertThat(FILES.get("outputs.tf")).contains("output \"trail_bucket_policy_statement\"")
                .contains("output \"trail_notifications_queue_url\"");
    }

    /** EventBridge in every region and account: forwarding rules with read-only events, the own account too. */
    @Test
    void forwardingRulesIncludeReadOnlyEventsAndTheDetectionAccountsOwnEvents() throws Exception {
        String own = block(FILES.get("eventbridge.tf"), "resource \"aws_cloudwatch_event_rule\" \"own_account\"");
        assertThat(code(own)).contains("event_bus_name = \"default\"")
                .contains("state          = aws_cloudwatch_event_rule.cloudtrail.state");
        String module = new String(Files.readAllBytes(DIR.resolve("modules/cloudtrail-forwarding/main.tf")),
                StandardCharsets.UTF_8);
        assertThat(new HCLParser().parse(module, true)).isNotNull();
        String rule = block(module, "resource \"aws_cloudwatch_event_rule\" \"forward\"");
        assertThat(code(rule)).contains("\"ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS\"");
        assertThat(code(module)).contains("\"prefix\" = \"aws.\"");
        String forward = block(module, "data \"aws_iam_policy_document\" \"forward\"");
        assertThat(code(forward)).contains("[\"events:PutEvents\"]").contains("[var.central_bus_arn]");
        for (String v : declared(module, "variable \"([a-z0-9_]+)\"")) {
            assertThat(code(module)).as("module variable %s is used", v).contains("var." + v);
        }
    }

    /** The actions of the (static or dynamic) statement with {@code sid}. */
    private static List<String> actionsOf(String document, String sid) {
        Matcher sidAt = Pattern.compile("sid\\s*=\\s*\"" + sid + "\"").matcher(document);
        assertThat(sidAt.find()).as("statement %s", sid).isTrue();
        int at = sidAt.start();
        int actions = document.indexOf("actions", at);
        String st = document.substring(actions, document.indexOf("]", actions) + 1);
        Matcher m = Pattern.compile("\"([a-z0-9-]+:[A-Za-z]+)\"").matcher(st);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    // ---- issue 19: alarms and metrics ---------------------------------------------------------------------------

    /** The service's own metrics the alarms and dashboard use (deployment/managed-flink/README.md, table 2). */
    static final Set<String> SERVICE_METRICS = new TreeSet<>(Arrays.asList("downtime", "fullRestarts",
            "numberOfFailedCheckpoints", "lastCheckpointDuration", "lastCheckpointSize", "cpuUtilization",
            "heapMemoryUtilization", "backPressuredTimeMsPerSecond", "millisBehindLatest",
            "GetRecords.IteratorAgeMilliseconds", "ApproximateNumberOfMessagesVisible", "FailedInvocations"));

    @Test
    void everyAlarmWatchesAMetricThatExistsAndNotifiesTheTopic() {
        List<String> alarms = blocks("resource \"aws_cloudwatch_metric_alarm\" \"");
        assertThat(alarms).hasSizeGreaterThanOrEqualTo(14);
        Set<String> watched = new TreeSet<>();
        for (String alarm : alarms) {
            String c = code(alarm);
            Set<String> names = new TreeSet<>();
            Matcher m = Pattern.compile("metric_name\\s*=\\s*\"([A-Za-z0-9.]+)\"").matcher(c);
            while (m.find()) {
                names.add(m.group(1));
            }
            Matcher q = Pattern.compile("SELECT [A-Z]+\\(([A-Za-z0-9.]+)\\)").matcher(c);
            while (q.find()) {
                names.add(q.group(1));
            }
            assertThat(names).as("%s watches a metric", firstLine(alarm)).isNotEmpty();
            for (String n : names) {
                assertThat(MetricCatalog.names().contains(n) || SERVICE_METRICS.contains(n))
                        .as("%s: %s is a metric the job registers or the service publishes", firstLine(alarm), n).isTrue();
            }
            if (c.contains("\"AWS/KinesisAnalytics\"") && !c.contains("SELECT")) {
                assertThat(c).as("%s: custom metrics arrive with dimension Application", firstLine(alarm))
                        .containsPattern("dimensions\\s*=\\s*\\{ Application = local\\.application_name \\}");
            }
            assertThat(c).as("%s notifies the topic", firstLine(alarm))
                    .containsPattern("alarm_actions\\s*=\\s*local\\.alarm_actions");
            assertThat(c).as("%s says how missing data counts", firstLine(alarm))
                    .containsPattern("treat_missing_data\\s*=\\s*\"(breaching|notBreaching)\"");
            watched.addAll(names);
        }
        assertThat(watched).as("the issue's alarm list").contains("downtime", "fullRestarts", "numberOfFailedCheckpoints",
                "lastCheckpointDuration", "cpuUtilization", "heapMemoryUtilization", "backPressuredTimeMsPerSecond",
                "GetRecords.IteratorAgeMilliseconds", "eventsRead", "deadLetters", "findingsDeadLettered",
                "logEventsDeadLettered", "bundlesRejected", "ApproximateNumberOfMessagesVisible");
        String noEvents = block(FILES.get("alarms.tf"), "resource \"aws_cloudwatch_metric_alarm\" \"no_events\"");
        assertThat(code(noEvents)).containsPattern("treat_missing_data\\s*=\\s*\"breaching\"")
                .containsPattern("evaluation_periods\\s*=\\s*var\\.no_events_minutes");
    }

    @Test
    void theDashboardChartsOnlyMetricsThatExist() {
        String dashboard = code(FILES.get("dashboard.tf"));
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\"([a-z][A-Za-z0-9]+)\"").matcher(dashboard);
        while (m.find()) {
            named.add(m.group(1));
        }
        Matcher p = Pattern.compile("\"alerts\\$\\{p\\}\"").matcher(dashboard);
        assertThat(p.find()).isTrue();
        for (String n : MetricCatalog.names()) {
            if (n.startsWith("alerts") && !n.equals("alertsEmitted") || n.equals("filesDone")) {
                continue; // by priority through the priorities list; filesDone is replay's
            }
            assertThat(named).as("the dashboard charts %s", n).contains(n);
        }
        Matcher pr = Pattern.compile("priorities\\s*=\\s*\\[(.*?)\\]").matcher(dashboard);
        assertThat(pr.find()).isTrue();
        for (String prio : pr.group(1).replace("\"", "").split(",")) {
            assertThat(MetricCatalog.names()).contains("alerts" + prio.trim());
        }
    }

    /** The operations table names exactly the catalogued metrics, and every alarm has a runbook section. */
    @Test
    void theOperationsDocsListEveryMetricAndARunbookPerAlarm() throws Exception {
        String doc = new String(Files.readAllBytes(Paths.get("..", "deployment", "managed-flink", "README.md")),
                StandardCharsets.UTF_8);
        int start = doc.indexOf("<!-- metrics:begin -->");
        int end = doc.indexOf("<!-- metrics:end -->");
        assertThat(start).isPositive();
        assertThat(end).isGreaterThan(start);
        Set<String> documented = new java.util.LinkedHashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\|").matcher(doc.substring(start, end));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).containsExactlyElementsOf(MetricCatalog.names());
        for (String alarm : blocks("resource \"aws_cloudwatch_metric_alarm\" \"")) {
            Matcher rb = Pattern.compile("Runbook: ([a-z-]+)\\.").matcher(alarm);
            assertThat(rb.find()).as("%s names its runbook", firstLine(alarm)).isTrue();
            assertThat(doc).as("runbook section for %s", firstLine(alarm)).contains("#### `" + rb.group(1) + "`");
        }
    }

    private static String propertyMap() {
        String flink = FILES.get("flink.tf");
        Matcher m = Pattern.compile("(?s)property_map = merge\\(\\{(.*?)\\n\\s*\\}, var\\.extra_properties\\)").matcher(flink);
        assertThat(m.find()).as("property_map = merge({...}, var.extra_properties)").isTrue();
        return m.group(0);
    }

    private static Set<String> propertyKeys() {
        Set<String> keys = new TreeSet<>();
        Matcher k = Pattern.compile("\"([a-z0-9_.]+)\"\\s*=").matcher(propertyMap());
        while (k.find()) {
            keys.add(k.group(1));
        }
        return keys;
    }

    /** Every block of the module starting with {@code headerPrefix}. */
    private static List<String> blocks(String headerPrefix) {
        List<String> out = new ArrayList<>();
        for (String text : FILES.values()) {
            int i = text.indexOf(headerPrefix);
            while (i >= 0) {
                out.add(blockAt(text, i));
                i = text.indexOf(headerPrefix, i + 1);
            }
        }
        return out;
    }

    /** The block whose header is {@code header}, from the header to its closing brace. */
    private static String block(String text, String header) {
        int i = text.indexOf(header + " {");
        assertThat(i).as(header).isNotNegative();
        return blockAt(text, i);
    }

    private static String blockAt(String text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = text.indexOf('{', start); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && text.charAt(i - 1) != '\\') {
                inString = !inString;
            } else if (!inString && c == '{') {
                depth++;
            } else if (!inString && c == '}' && --depth == 0) {
                return text.substring(start, i + 1);
            }
        }
        throw new AssertionError("unclosed block at " + start);
    }

    /** The statement with {@code sid} of a policy document block. */
    private static String statement(String document, String sid) {
        int i = document.indexOf("sid = \"" + sid + "\"");
        assertThat(i).as("statement %s", sid).isNotNegative();
        int open = document.lastIndexOf("statement {", i);
        return blockAt(document, open);
    }

    private static String code(String block) {
        return block.replaceAll("(?m)#.*$", "");
    }

    private static String firstLine(String block) {
        return block.substring(0, block.indexOf('\n') < 0 ? block.length() : block.indexOf('\n'));
    }

    private static Set<String> declared(String text, String regex) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.groupCount() == 1 ? m.group(1) : m.group(1) + "." + m.group(2));
        }
        return out;
    }
}
