package io.trailguard.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden tests: TrailAlerts' should_match / should_not_match CloudTrail records (Apache-2.0, copied into
 * {@code src/test/resources/sigma/trailalerts/}) against the SigmaHQ rule of the same base name, loaded unmodified
 * from ../shared. 41 test files share their rule with SigmaHQ.
 *
 * <p>Expected divergences (reference/sigma.md §1.7 and §3.2), asserted as such:
 * <ul>
 *   <li>getsignintoken: TrailAlerts' legitimate event has user agent {@code Jersey/2.25.1}; the SigmaHQ filter only
 *       excludes the literal {@code Jersey/${project.version}}, so it alerts (TrailAlerts' rule differs).</li>
 *   <li>enum_buckets: TrailAlerts removed the AssumedRole filter; its should_match event is an AssumedRole call,
 *       which the SigmaHQ rule excludes.</li>
 *   <li>iam_backdoor_users_keys, update_login_profile, delete_saml_provider: upstream defects. With Trailguard's
 *       errata (the default) they pass; with {@code sigmaErrata(false)} they diverge as the reference explains
 *       (literal string filter, fieldref equality, nonexistent 'status' field).</li>
 * </ul>
 */
class TrailAlertsGoldenTest {
    static final String DIR = "sigma/trailalerts/";
    /** Tests whose records diverge from the SigmaHQ rule even with errata: which list and why. */
    static final Map<String, String> DIVERGENT = Map.of(
            "aws_console_getsignintoken", "should_not_match",
            "aws_enum_buckets", "should_match");
    /** Tests that pass only thanks to the errata, and the list that diverges without them. */
    static final Map<String, String> ERRATA = Map.of(
            "aws_iam_backdoor_users_keys", "should_not_match",
            "aws_update_login_profile", "should_not_match",
            "aws_delete_saml_provider", "should_match");

    /** TrailAlerts test files by base name (from the test resources). */
    static Map<String, JsonNode> testFiles() throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        Path dir = Path.of(TrailAlertsGoldenTest.class.getClassLoader().getResource(DIR).toURI());
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.endsWith("_tests.json")) {
                    out.put(f.substring(0, f.length() - "_tests.json".length()), Json.mapper().readTree(p.toFile()));
                }
            }
        }
        return out;
    }

    static RuleSet load(Path rule, boolean errata) throws Exception {
        LoadResult r = RuleLoader.load(List.of(RuleSource.of(rule)), LoadOptions.defaults().sigmaErrata(errata));
        assertThat(r.errors()).as("errors loading %s", rule).isEmpty();
        assertThat(r.ruleSet().rules()).hasSize(1);
        return r.ruleSet();
    }

    static boolean alerts(RuleSet rs, JsonNode record) {
        return !rs.evaluate(SigmaTesting.of(record), rs.newContext()).isEmpty();
    }

    @Test
    void fortyOneTestFilesShareTheirRuleWithSigmaHq() throws Exception {
        Path rules = Shared.require("anchors/sigma/rules");
        Map<String, JsonNode> tests = testFiles();
        assertThat(tests).hasSize(52);
        long shared = tests.keySet().stream().filter(n -> Files.exists(rules.resolve(n + ".yml"))).count();
        assertThat(shared).isEqualTo(41);
    }

    @TestFactory
    List<DynamicTest> everySharedRuleGivesTrailAlertsResults() throws Exception {
        Path rules = Shared.require("anchors/sigma/rules");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> t : testFiles().entrySet()) {
            Path rule = rules.resolve(t.getKey() + ".yml");
            if (!Files.exists(rule)) {
                continue; // a TrailAlerts-only rule
            }
            tests.add(DynamicTest.dynamicTest(t.getKey(), () -> {
                RuleSet rs = load(rule, true);
                String divergent = DIVERGENT.get(t.getKey());
                int i = 0;
                for (JsonNode record : t.getValue().get("should_match")) {
                    boolean expected = !"should_match".equals(divergent);
                    assertThat(alerts(rs, record)).as("%s should_match[%d]", t.getKey(), i++).isEqualTo(expected);
                }
                i = 0;
                for (JsonNode record : t.getValue().get("should_not_match")) {
                    boolean expected = "should_not_match".equals(divergent);
                    assertThat(alerts(rs, record)).as("%s should_not_match[%d]", t.getKey(), i++).isEqualTo(expected);
                }
            }));
        }
        assertThat(tests).hasSize(41);
        return tests;
    }

    @Test
    void withoutErrataTheThreeDefectiveRulesDivergeAsTheReferenceExplains() throws Exception {
        Path rules = Shared.require("anchors/sigma/rules");
        Map<String, JsonNode> tests = testFiles();
        for (Map.Entry<String, String> e : ERRATA.entrySet()) {
            JsonNode t = tests.get(e.getKey());
            RuleSet upstream = load(rules.resolve(e.getKey() + ".yml"), false);
            RuleSet fixed = load(rules.resolve(e.getKey() + ".yml"), true);
            for (String list : new String[] {"should_match", "should_not_match"}) {
                boolean expected = list.equals("should_match");
                for (JsonNode record : t.get(list)) {
                    assertThat(alerts(fixed, record)).as("%s %s with errata", e.getKey(), list).isEqualTo(expected);
                    boolean upstreamExpected = e.getValue().equals(list) ? !expected : expected;
                    assertThat(alerts(upstream, record)).as("%s %s upstream", e.getKey(), list)
                            .isEqualTo(upstreamExpected);
                }
            }
        }
    }

    @Test
    void theTwoRemainingDivergencesComeFromTrailAlertsOwnRuleChanges() throws Exception {
        Path rules = Shared.require("anchors/sigma/rules");
        Map<String, JsonNode> tests = testFiles();
        // getsignintoken: the "legitimate" SSO user agent of the test is Jersey/2.25.1, not the literal rule value
        JsonNode legit = tests.get("aws_console_getsignintoken").get("should_not_match").get(0);
        assertThat(legit.get("userAgent").asText()).isEqualTo("Jersey/2.25.1");
        RuleSet rs = load(rules.resolve("aws_console_getsignintoken.yml"), true);
        JsonNode literal = legit.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) literal).put("userAgent", "Jersey/${project.version}");
        assertThat(alerts(rs, literal)).as("the rule's own literal user agent is filtered").isFalse();
        // enum_buckets: the should_match event is an AssumedRole, which the SigmaHQ rule filters out
        JsonNode assumed = tests.get("aws_enum_buckets").get("should_match").get(0);
        assertThat(assumed.at("/userIdentity/type").asText()).isEqualTo("AssumedRole");
        RuleSet enumBuckets = load(rules.resolve("aws_enum_buckets.yml"), true);
        JsonNode user = assumed.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) user.get("userIdentity")).put("type", "IAMUser");
        assertThat(alerts(enumBuckets, user)).as("an IAM user listing buckets alerts").isTrue();
    }
}
