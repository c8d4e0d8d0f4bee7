package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The YAML examples of rules/SIGMA.md (copied into test resources) load and do what the text says. */
class ReadmeExamplesTest {
    @Test
    void theCorrelationExampleFiresOnBruteForceThenSuccess() {
        RuleSet rs = SigmaTesting.rules(SigmaTesting.resource("sigma/examples/brute_force_then_success.yml"));
        assertThat(rs.rules()).extracting(Rule::name).containsExactly(
                "Console brute force followed by a successful login", "Many failed console logins");
        MiniOperator op = new MiniOperator(rs);
        long t0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
        for (int i = 0; i < 5; i++) {
            op.event(login("Failure", t0 + i * 10_000L));
        }
        assertThat(op.alerts).isEmpty();
        op.event(login("Success", t0 + 60_000L));
        assertThat(op.firedRules()).containsExactly("Console brute force followed by a successful login");
        assertThat(op.alerts.get(0).rule().priority().display()).isEqualTo("Critical");
    }

    static CloudTrailEvent login(String result, long time) {
        return SigmaTesting.q("{'eventName':'ConsoleLogin','eventTime':'" + Instant.ofEpochMilli(time) + "',"
                + "'sourceIPAddress':'203.0.113.9','responseElements':{'ConsoleLogin':'" + result + "'}}");
    }

    @Test
    void theFilterExampleTunesEnumBuckets() throws Exception {
        Path rule = Shared.require("anchors/sigma/rules/aws_enum_buckets.yml");
        LoadResult r = RuleLoader.load(List.of(RuleSource.of(rule), new RuleSource("filter.yml",
                SigmaTesting.resource("sigma/examples/filter_terraform.yml"))), LoadOptions.defaults());
        assertThat(r.diagnostics()).isEmpty();
        RuleSet rs = r.ruleSet();
        assertThat(SigmaTesting.fired(rs, SigmaTesting.q("{'eventSource':'s3.amazonaws.com','eventName':'ListBuckets',"
                + "'userIdentity':{'type':'IAMUser','arn':'arn:aws:iam::1:user/bob'}}")))
                .containsExactly("Potential Bucket Enumeration on AWS");
        assertThat(SigmaTesting.fired(rs, SigmaTesting.q("{'eventSource':'s3.amazonaws.com','eventName':'ListBuckets',"
                + "'userIdentity':{'type':'IAMUser','arn':'arn:aws:iam::1:role/terraform'}}"))).isEmpty();
        assertThat(Files.exists(rule)).isTrue();
    }

    @Test
    void falcoRateRulesDoNotTakeTheTemporalTypes() {
        String falco = "- rule: r\n  desc: d\n  condition: ct.name = X\n  output: o\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n  aggregate:\n    type: temporal\n    timespan: 5m\n    gte: 2\n";
        LoadResult r = RuleLoader.load(List.of(new RuleSource("f.yaml", falco)), LoadOptions.defaults());
        assertThat(r.errors()).singleElement().satisfies(d -> assertThat(d.message())
                .contains("temporal correlations are written as Sigma correlation rules"));
    }
}
