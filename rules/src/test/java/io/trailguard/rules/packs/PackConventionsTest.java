package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RuleGuidanceTags;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped rule follows the conventions of packs/common.yaml (tags, priorities, outputs, indexing). */
class PackConventionsTest {
    /** Rules that cannot name the API calls they watch (root use and refusals happen on any call). */
    static final Set<String> UNINDEXED = Set.of("Root Account Activity", "Unauthorized API Calls",
            "Access Denied Burst From Principal");

    /** The lowest priority whose rules must carry remediation text and URL. */
    static final Priority GUIDED_FROM = Priority.NOTICE;

    /** Where remediation URLs may point: the AWS documentation (what ASFF consumers and analysts expect). */
    static final List<String> ALLOWED_URL_PREFIXES = List.of("https://docs.aws.amazon.com/");

    @Test
    void thePacksLoadWithoutErrorsOrWarnings() {
        LoadResult r = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(Diagnostic::toString).isEmpty();
    }

    @Test
    void everyRuleHasTheConventionalMetadata() {
        for (Rule r : Packs.rules().rules()) {
            String n = r.name();
            assertThat(r.description()).as(n).isNotBlank();
            assertThat(r.source()).as(n).isEqualTo("aws_cloudtrail");
            assertThat(r.tags()).as(n).contains("aws", "cloud");
            List<String> tactics = r.tags().stream().filter(t -> t.startsWith("attack.") && !t.matches("attack\\.t\\d.*"))
                    .map(t -> t.substring("attack.".length())).collect(Collectors.toList());
            assertThat(tactics).as("%s: ATT&CK v19 tactics", n).isNotEmpty();
            assertThat(Packs.TACTICS).as(n).containsAll(tactics);
            assertThat(r.tags()).as("%s: technique ids", n).anyMatch(t -> t.matches("attack\\.t\\d{4}(\\.\\d{3})?"));
            assertThat(r.tags()).as(n).allMatch(t -> !t.startsWith("attack.t") || t.matches("attack\\.t\\d{4}(\\.\\d{3})?"));
            assertThat(r.tags()).as(n).allMatch(t -> !t.startsWith("cis:") || Packs.CIS_CONTROLS.containsKey(t.substring(4)));
            assertThat(Packs.STRATUS_TECHNIQUES).as(n).containsAll(Packs.stratusTags(r.tags()));
            assertThat(r.tags().contains("rate")).as("%s: tagged rate iff it has an aggregate", n).isEqualTo(r.isRateRule());
            assertThat(r.priority()).as(n).isIn(Priority.CRITICAL, Priority.WARNING, Priority.NOTICE, Priority.INFORMATIONAL);
            assertThat(RuleGuidanceTags.version(r.tags())).as("%s: version: tag", n).matches("\\d+");
            if (!UNINDEXED.contains(n)) {
                assertThat(r.eventNames()).as("%s must name its event names (ct.name = / in)", n).isNotNull().isNotEmpty();
            }
        }
        assertThat(Packs.rules().rules().stream().filter(r -> r.eventNames() == null).map(Rule::name)
                .collect(Collectors.toSet())).isEqualTo(UNINDEXED);
    }

    @Test
    void everyRuleFromNoticeUpSaysWhatToDoAndWhereAwsDocumentsIt() {
        List<String> problems = new ArrayList<>();
        for (Rule r : Packs.rules().rules()) {
            guidanceProblems(r).forEach(p -> problems.add(r.name() + ": " + p));
        }
        assertThat(problems).isEmpty();
        assertThat(Packs.rules().rules()).filteredOn(r -> r.priority() == Priority.INFORMATIONAL).isNotEmpty();
    }

    @Test
    void aRuleFromNoticeUpWithoutGuidanceOrWithAForeignUrlIsReported() {
        String pack = "- rule: Bare\n  desc: d\n  condition: ct.name = StopLogging\n"
                + "  output: x %ct.user.arn %ct.srcip\n  priority: NOTICE\n  source: aws_cloudtrail\n"
                + "  tags: [\"remediation_url:https://example.com/aws\"]\n"
                + "- rule: Routine\n  desc: d\n  condition: ct.name = StartLogging\n"
                + "  output: x %ct.user.arn %ct.srcip\n  priority: INFO\n  source: aws_cloudtrail\n  tags: []\n";
        List<Rule> rules = RuleLoader.load(List.of(new RuleSource("guidance.yaml", pack)), LoadOptions.defaults())
                .orThrow().rules();
        assertThat(guidanceProblems(rules.get(0))).hasSize(2);
        assertThat(guidanceProblems(rules.get(1))).isEmpty();
    }

    /**
     * From {@link #GUIDED_FROM} up (CRITICAL, ERROR, WARNING, NOTICE) an analyst must be told what to do: a
     * {@code remediation:} text that fits ASFF's Remediation.Recommendation.Text (512 characters) and a
     * {@code remediation_url:} to the AWS documentation of the feature.
     */
    static List<String> guidanceProblems(Rule r) {
        List<String> problems = new ArrayList<>();
        if (!r.priority().atLeast(GUIDED_FROM)) {
            return problems;
        }
        String text = r.guidance().remediation();
        String url = r.guidance().remediationUrl();
        if (text == null || text.isBlank()) {
            problems.add("no remediation: tag");
        } else if (text.length() > 512) {
            problems.add("remediation: longer than ASFF's 512 characters");
        }
        if (url == null || ALLOWED_URL_PREFIXES.stream().noneMatch(url::startsWith) || url.contains(" ")) {
            problems.add("remediation_url: is not an AWS documentation page (" + url + ")");
        }
        return problems;
    }

    @Test
    void outputsSayWhoFromWhere() {
        for (Rule r : Packs.rules().rules()) {
            List<String> fields = r.output().fields().stream().map(f -> f.name()).collect(Collectors.toList());
            assertThat(fields).as(r.name()).contains("ct.srcip");
            assertThat(fields.stream().anyMatch(f -> f.equals("ct.user.arn") || f.equals("ct.user")
                    || f.equals("ct.user.accountid"))).as(r.name()).isTrue();
        }
    }

    @Test
    void everyCisMonitoringControlHasRules() {
        Set<String> cis = new TreeSet<>();
        for (Rule r : Packs.rules().rules()) {
            r.tags().stream().filter(t -> t.startsWith("cis:")).forEach(t -> cis.add(t.substring(4)));
        }
        assertThat(cis).containsExactlyInAnyOrderElementsOf(Packs.CIS_CONTROLS.keySet());
    }

    @Test
    void theSysdigAndFalcoUpstreamRulesAreCovered() {
        Set<String> names = Packs.rules().rules().stream().map(Rule::name).collect(Collectors.toSet());
        for (Map<String, List<String>> mapping : List.of(CoverageReport.SYSDIG, CoverageReport.FALCO_UPSTREAM)) {
            mapping.forEach((theirs, ours) -> assertThat(names).as(theirs).containsAll(ours));
        }
        assertThat(CoverageReport.FALCO_UPSTREAM).hasSize(22);
    }

    @Test
    void theFalcoUpstreamFileStillLoadsAfterThePacksWithoutRenamingOurRules() throws Exception {
        Path upstream = Shared.require("anchors/falco/aws_cloudtrail_rules.yaml");
        List<RuleSource> sources = new ArrayList<>(RuleLoader.bundledPacks());
        sources.add(RuleSource.of(upstream));
        LoadResult r = RuleLoader.load(sources, LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        Set<String> ours = Packs.rules().rules().stream().map(Rule::name).collect(Collectors.toSet());
        Set<String> theirs = CoverageReport.FALCO_UPSTREAM.keySet();
        assertThat(ours).doesNotContainAnyElementsOf(theirs);
        assertThat(r.ruleSet().size()).isEqualTo(Packs.rules().size() + 20);
    }
}
