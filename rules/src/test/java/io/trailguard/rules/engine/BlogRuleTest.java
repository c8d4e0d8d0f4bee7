package io.trailguard.rules.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sysdig blog's rule loads verbatim (source k8s_audit, jevt.* fields) and fires on the blog's event. */
class BlogRuleTest {

    static String resource(String name) throws Exception {
        try (InputStream in = BlogRuleTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static CloudTrailEvent event(String json) throws Exception {
        return CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().readTree(json), 1);
    }

    @Test
    void blogRuleFiresOnceOnTheBlogEvent() throws Exception {
        LoadResult r = RuleLoader.load(List.of(new RuleSource("blog.yaml", resource("/blog/attach_admin_policy_rule.yaml"))),
                LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        RuleSet rules = r.ruleSet();
        assertThat(rules.size()).isEqualTo(1);
        List<Alert> alerts = rules.evaluate(event(resource("/blog/attach_admin_policy_event.json")), rules.newContext());
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.rule().name()).isEqualTo("Attach Administrator Policy");
        assertThat(a.rule().priority().display()).isEqualTo("Warning");
        assertThat(a.output()).isEqualTo("An administrator policy has been attached to an user (requesting "
                + "user=arn:aws:iam::123456789012:root, requesting IP=203.0.113.45, AWS region=us-east-1, user "
                + "attached to=bob)");
        assertThat(a.outputFields()).containsEntry("jevt.value[/requestParameters/userName]", "bob");
        assertThat(a.rule().tags()).containsExactly("aws", "cloud", "source=cloudtrail");
        assertThat(a.event().id()).isEqualTo("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9");
        assertThat(a.event().account()).isEqualTo("123456789012");
        assertThat(a.event().region()).isEqualTo("us-east-1");
        assertThat(a.event().time()).isEqualTo("2020-09-29T10:05:43.000000000Z");
    }

    @Test
    void blogRuleStaysQuietOnAFailedAttempt() throws Exception {
        RuleSet rules = RuleLoader.load(List.of(new RuleSource("blog.yaml", resource("/blog/attach_admin_policy_rule.yaml"))),
                LoadOptions.defaults()).orThrow();
        ObjectNode failed = (ObjectNode) Json.mapper().readTree(resource("/blog/attach_admin_policy_event.json"));
        failed.put("errorCode", "AccessDenied");
        assertThat(rules.evaluate(CloudTrailEvent.ofRecord(failed, 1), rules.newContext())).isEmpty();
        ObjectNode other = (ObjectNode) Json.mapper().readTree(resource("/blog/attach_admin_policy_event.json"));
        other.with("requestParameters").put("policyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(rules.evaluate(CloudTrailEvent.ofRecord(other, 1), rules.newContext())).isEmpty();
    }
}
