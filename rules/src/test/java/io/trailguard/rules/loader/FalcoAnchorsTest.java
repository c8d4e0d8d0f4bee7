package io.trailguard.rules.loader;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.testing.Shared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Falco's upstream CloudTrail rules and its old test data load unmodified and give Falco's results. */
class FalcoAnchorsTest {

    private static RuleSet loadFile(Path p, MatchingMode mode) throws Exception {
        LoadResult r = RuleLoader.load(List.of(RuleSource.of(p)), LoadOptions.defaults().matching(mode));
        assertThat(r.errors()).as("errors loading %s", p).isEmpty();
        return r.ruleSet();
    }

    private static CloudTrailEvent firstRecord(Path p) throws Exception {
        JsonNode n = Json.mapper().readTree(Files.readAllBytes(p));
        JsonNode rec = n.has("Records") ? n.get("Records").get(0) : n;
        return CloudTrailEvent.ofRecord((ObjectNode) rec, 1);
    }

    @Test
    void upstreamRulesFileLoadsUnmodified() throws Exception {
        Path file = Shared.require("anchors/falco/aws_cloudtrail_rules.yaml");
        LoadResult r = RuleLoader.load(List.of(RuleSource.of(file)), LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        // 22 rules, 2 disabled (All Cloudtrail Events, List Buckets)
        assertThat(r.ruleSet().rules()).hasSize(20);
        assertThat(r.ruleSet().rules().stream().map(Rule::name))
                .contains("Console Login Without MFA", "CloudTrail Logging Disabled", "Delete Bucket Public Access Block")
                .doesNotContain("All Cloudtrail Events", "List Buckets");
        assertThat(r.ruleSet().rules()).allSatisfy(rule -> assertThat(rule.tags()).contains("aws", "cloud"));
    }

    @Test
    void upstreamRulesFireOnTheirEventsWithFalcoShadowingUnderFirst() throws Exception {
        Path file = Shared.require("anchors/falco/aws_cloudtrail_rules.yaml");
        String login = "{'eventVersion':'1.08','userIdentity':{'type':'Root','principalId':'1','arn':'arn:aws:iam::1:root',"
                + "'accountId':'1'},'eventTime':'2023-07-10T11:42:05Z','eventSource':'signin.amazonaws.com',"
                + "'eventName':'ConsoleLogin','awsRegion':'us-east-1','sourceIPAddress':'1.2.3.4',"
                + "'responseElements':{'ConsoleLogin':'Success'},'additionalEventData':{'MFAUsed':'No'},"
                + "'eventID':'e1','readOnly':false,'eventType':'AwsConsoleSignIn','recipientAccountId':'1'}";
        CloudTrailEvent e = io.trailguard.rules.testing.Events.q(login);
        RuleSet all = loadFile(file, MatchingMode.ALL);
        List<String> fired = all.evaluate(e, all.newContext()).stream().map(x -> x.rule().name()).collect(Collectors.toList());
        assertThat(fired).containsExactly("Console Login Without MFA", "Console Root Login Without MFA");
        RuleSet first = loadFile(file, MatchingMode.FIRST);
        assertThat(first.evaluate(e, first.newContext())).extracting(x -> x.rule().name())
                .containsExactly("Console Login Without MFA");
    }

    @Test
    void falcoTestDataGivesOneDetectionPerFile() throws Exception {
        Path dir = Shared.require("anchors/falco/falco-test-data");
        for (String rules : new String[] {"cloudtrail_create_instances.yaml",
            "cloudtrail_create_instances_exceptions.yaml"}) {
            RuleSet rs = loadFile(dir.resolve(rules), MatchingMode.FIRST);
            for (String events : new String[] {"alice_start_instances.json", "alice_start_instances_bigevent.json"}) {
                List<Alert> alerts = rs.evaluate(firstRecord(dir.resolve(events)), rs.newContext());
                assertThat(alerts).as("%s on %s", rules, events).hasSize(1);
                Alert a = alerts.get(0);
                assertThat(a.rule().name()).isEqualTo("Cloudtrail Create Instance");
                assertThat(a.rule().priority().display()).isEqualTo("Informational");
                assertThat(a.output()).startsWith("EC2 Instance Created (evtnum=1 info=");
                assertThat(a.output()).endsWith("user name=Alice)");
            }
        }
    }

    @Test
    void incompatiblePluginVersionIsAnError() throws Exception {
        Path file = Shared.require("anchors/falco/falco-test-data/cloudtrail_incompat_plugin_version.yaml");
        LoadResult r = RuleLoader.load(List.of(RuleSource.of(file)), LoadOptions.defaults());
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).as(r.errors().toString()).hasSize(1);
        assertThat(r.errors().get(0).message()).matches(
                "Plugin 'cloudtrail' version '.*' is not compatible with required plugin version '100000.0.0'");
        assertThat(r.errors().get(0).line()).isEqualTo(2); // the failing requirement entry
    }
}
