package io.trailguard.job.bundle;

import io.trailguard.rules.engine.RuleSet;
import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.TestRules;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

class RuleBundleTest {

    @Test
    void hashCoversNamesAndContentInOrder() {
        BundleFile a = new BundleFile("a.yaml", "x");
        BundleFile b = new BundleFile("b.yaml", "y");
        String ab = RuleBundle.contentHash(Arrays.asList(a, b));
        assertThat(ab).hasSize(64).matches("[0-9a-f]+");
        assertThat(RuleBundle.contentHash(Arrays.asList(a, b))).isEqualTo(ab);
        assertThat(RuleBundle.contentHash(Arrays.asList(b, a))).isNotEqualTo(ab);
        // Length prefixes: moving a character from a name to its content changes the hash.
        assertThat(RuleBundle.contentHash(Collections.singletonList(new BundleFile("a.yamlx", ""))))
                .isNotEqualTo(RuleBundle.contentHash(Collections.singletonList(new BundleFile("a.yaml", "x"))));
    }

    @Test
    void messageRoundTripKeepsEverythingButOrigin() throws Exception {
        RuleBundle b = TestRules.basePlus("v7", "extra.yaml", TestRules.ACCESS_KEY_RULE).withOrigin("shard:1");
        JsonNode msg = JobJson.mapper().readTree(b.toMessageBytes());
        assertThat(msg.get("type").asText()).isEqualTo("bundle");
        assertThat(msg.has("origin")).isFalse();
        RuleBundle back = RuleBundle.fromMessage(msg, "shard:9");
        assertThat(back.version()).isEqualTo("v7");
        assertThat(back.hash()).isEqualTo(b.hash());
        assertThat(back.files()).isEqualTo(b.files());
        assertThat(back.origin()).isEqualTo("shard:9");
        assertThat(back.hashMatches()).isTrue();
        assertThat(RuleBundle.fromStateJson(b.toStateJson())).isEqualTo(b);
    }

    @Test
    void compileChecksTheHashThenTheRules() throws Exception {
        assertThat(CompiledBundle.compile(TestRules.base(), MatchingMode.ALL).ok()).isTrue();

        String tampered = new String(TestRules.base().toMessageBytes(), StandardCharsets.UTF_8)
                .replace("CRITICAL", "INFO");
        CompiledBundle c = CompiledBundle.compile(RuleBundle.fromMessage(JobJson.mapper().readTree(tampered), "x"),
                MatchingMode.ALL);
        assertThat(c.ok()).isFalse();
        assertThat(c.errors()).singleElement().asString().startsWith("hash mismatch");

        CompiledBundle broken = CompiledBundle.compile(
                TestRules.basePlus("bad", "broken.yaml", TestRules.BROKEN_RULE), MatchingMode.ALL);
        assertThat(broken.ok()).isFalse();
        assertThat(broken.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).matches("broken\\.yaml:\\d+:\\d+: .*"));
    }

    @Test
    void instancesInOneJvmShareTheRulesOfABundleAndOnlyThose() throws Exception {
        RuleBundle b = TestRules.basePlus("shared", "extra.yaml", "- rule: Shared\n  desc: d\n  condition: ct.name = X\n"
                + "  output: o\n  priority: INFO\n  source: aws_cloudtrail\n");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<CompiledBundle>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> CompiledBundle.compile(b, MatchingMode.ALL)));
            }
            RuleSet first = all.get(0).get().ruleSet();
            assertThat(first).isNotNull();
            for (java.util.concurrent.Future<CompiledBundle> f : all) {
                assertThat(f.get().ruleSet()).isSameAs(first); // compiled once, whichever instance asked first
            }
        } finally {
            pool.shutdownNow();
        }
        // another matching mode, or other files, is another rule set
        assertThat(CompiledBundle.compile(b, MatchingMode.FIRST).ruleSet())
                .isNotSameAs(CompiledBundle.compile(b, MatchingMode.ALL).ruleSet());
        assertThat(CompiledBundle.compile(TestRules.base(), MatchingMode.ALL).ruleSet())
                .isNotSameAs(CompiledBundle.compile(b, MatchingMode.ALL).ruleSet());
        // a tampered copy of a shared bundle is still refused: the hash is checked before the shared rules are used
        String tampered = new String(b.toMessageBytes(), StandardCharsets.UTF_8).replace("ct.name = X", "ct.name = Y");
        assertThat(CompiledBundle.compile(RuleBundle.fromMessage(JobJson.mapper().readTree(tampered), "x"),
                MatchingMode.ALL).ok()).isFalse();
    }

    @Test
    void malformedBundlesAreInvalid() {
        for (String json : new String[] {"{\"type\":\"bundle\",\"hash\":\"h\",\"files\":[]}",
                "{\"type\":\"bundle\",\"version\":\"v\",\"hash\":\"h\",\"files\":[]}",
                "{\"type\":\"bundle\",\"version\":\"v\",\"hash\":\"h\",\"files\":[{\"name\":\"a\"}]}",
                "{\"type\":\"bundle\",\"version\":\"v\",\"hash\":\"h\",\"files\":\"a\"}"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> ControlMessage.parse(json.getBytes(StandardCharsets.UTF_8), "o"))
                    .as(json).isInstanceOf(InvalidBundleException.class);
        }
    }
}
