package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static io.trailguard.rules.sigma.SigmaTesting.LOGSOURCE;
import static io.trailguard.rules.sigma.SigmaTesting.fired;
import static io.trailguard.rules.sigma.SigmaTesting.load;
import static io.trailguard.rules.sigma.SigmaTesting.q;
import static io.trailguard.rules.sigma.SigmaTesting.rules;
import static org.assertj.core.api.Assertions.assertThat;

/** Loading Sigma files through the one loader: dialect choice, logsource, errors, filters, errata, names. */
class SigmaLoaderTest {
    static final String FALCO = "- rule: Falco Console Login\n  desc: d\n  condition: ct.name = ConsoleLogin\n"
            + "  output: falco %ct.name\n  priority: NOTICE\n  source: aws_cloudtrail\n";

    static String sigma(String title, String id, String eventName, String extra) {
        return "title: " + title + "\n" + (id == null ? "" : "id: " + id + "\n") + extra + LOGSOURCE
                + "detection:\n  selection:\n    eventName: " + eventName + "\n  condition: selection\n";
    }

    static final CloudTrailEvent LOGIN = q("{'eventName':'ConsoleLogin','eventSource':'signin.amazonaws.com',"
            + "'userIdentity':{'type':'IAMUser','arn':'arn:aws:iam::1:user/a','userName':'a'},"
            + "'sourceIPAddress':'1.2.3.4','awsRegion':'us-east-1','eventTime':'2024-01-01T00:00:00Z'}");

    static List<String> messages(LoadResult r) {
        return r.diagnostics().stream().map(Diagnostic::toString).collect(Collectors.toList());
    }

    @Nested
    class Dialects {
        @Test
        void falcoAndSigmaFilesLoadTogetherIntoOneRuleSet() {
            LoadResult r = RuleLoader.load(List.of(new RuleSource("falco.yaml", FALCO),
                    new RuleSource("sigma.yml", sigma("Sigma Console Login", null, "ConsoleLogin", "level: low\n"))),
                    LoadOptions.defaults());
            assertThat(r.errors()).isEmpty();
            RuleSet rs = r.ruleSet();
            assertThat(rs.rules()).extracting(Rule::name).containsExactly("Falco Console Login", "Sigma Console Login");
            assertThat(fired(rs, LOGIN)).containsExactly("Falco Console Login", "Sigma Console Login");
            RuleSet first = RuleLoader.load(List.of(new RuleSource("s.yml", sigma("S", null, "ConsoleLogin", "")),
                    new RuleSource("f.yaml", FALCO)), LoadOptions.defaults().matching(MatchingMode.FIRST)).orThrow();
            assertThat(fired(first, LOGIN)).containsExactly("S");
        }

        @Test
        void aMultiDocumentFileHoldsSeveralRules() {
            RuleSet rs = rules(sigma("One", null, "ConsoleLogin", "") + "---\n" + sigma("Two", null, "GetObject", "")
                    + "---\n");
            assertThat(rs.rules()).extracting(Rule::name).containsExactly("One", "Two");
        }

        @Test
        void directoriesPickUpYmlFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("a.yml"), sigma("From yml", null, "ConsoleLogin", ""));
            Files.writeString(dir.resolve("b.yaml"), FALCO);
            LoadResult r = RuleLoader.load(RuleLoader.sources(List.of(dir)), LoadOptions.defaults());
            assertThat(r.ruleSet().rules()).extracting(Rule::name).containsExactly("From yml", "Falco Console Login");
        }

        @Test
        void mixingASequenceIntoASigmaFileIsAnError() {
            LoadResult r = load(sigma("One", null, "X", "") + "---\n" + FALCO);
            assertThat(r.errors()).extracting(Object::toString).containsExactly("test.yml:10:1: a Sigma document "
                    + "must be a mapping (title, "
                    + "logsource, detection...); Falco rule files are sequences and cannot be mixed with Sigma documents");
        }

        @Test
        void yamlErrorsAreReportedLikeFalcos() {
            LoadResult r = load("title: x\ndetection: [unclosed\n");
            assertThat(r.errors()).hasSize(1);
            assertThat(r.errors().get(0).toString()).startsWith("test.yml:3:1: invalid YAML: ");
        }

        @Test
        void duplicateKeysAreRefused() {
            LoadResult r = load("title: a\ntitle: b\n" + LOGSOURCE + "detection:\n  s:\n    eventName: X\n"
                    + "  condition: s\n");
            assertThat(r.errors().get(0).message()).contains("duplicate key");
        }
    }

    @Nested
    class Documents {
        @Test
        void logsourceSelectsCloudTrailAndSkipsOthersWithAWarning() {
            String windows = "title: Windows thing\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n"
                    + "  product: windows\n  category: process_creation\n"
                    + "detection:\n  s:\n    Image|endswith: '\\cmd.exe'\n  condition: s\n";
            String awsOnly = "title: AWS product only\nid: 21111111-2222-4333-8444-555555555555\nlogsource:\n"
                    + "  product: aws\n"
                    + "detection:\n  s:\n    eventName: ConsoleLogin\n  condition: s\n";
            LoadResult r = load(windows + "---\n" + awsOnly);
            assertThat(r.errors()).isEmpty();
            assertThat(r.ruleSet().rules()).extracting(Rule::name).containsExactly("AWS product only");
            assertThat(messages(r)).containsExactly("test.yml:3:1: warning: Sigma rule "
                    + "11111111-2222-4333-8444-555555555555 (Windows thing) is for logsource product: windows, "
                    + "category: process_creation, not product: aws, service: cloudtrail; skipped");
        }

        @Test
        void missingTitleOrLogsourceAndBadLevelsAreErrorsWithPositions() {
            assertThat(messages(load(LOGSOURCE + "detection:\n  s:\n    eventName: X\n  condition: s\n")))
                    .containsExactly("test.yml:1:1: a Sigma rule needs a 'title'");
            assertThat(messages(load("title: t\ndetection:\n  s:\n    eventName: X\n  condition: s\n")))
                    .containsExactly("test.yml:1:1: a Sigma rule needs a 'logsource'");
            assertThat(messages(load(sigma("t", null, "X", "level: severe\n"))))
                    .containsExactly("test.yml:2:8: unknown level 'severe' (expected informational, low, medium, "
                            + "high or critical)");
            assertThat(messages(load("title: t\n" + LOGSOURCE + "detection:\n  s:\n    eventName: X\n  condition: s\n"
                    + "correlation:\n  type: event_count\n"))).singleElement().asString()
                    .contains("exactly one of 'detection', 'correlation' and 'filter'");
        }

        @Test
        void idsAndNamesMustBeUnique() {
            String a = sigma("A", "aaaaaaaa-0000-4000-8000-000000000001", "X", "name: same\n");
            String b = sigma("B", "aaaaaaaa-0000-4000-8000-000000000001", "Y", "name: same\n");
            List<String> m = messages(load(a + "---\n" + b));
            assertThat(m).anySatisfy(x -> assertThat(x).startsWith("test.yml:13:1: duplicate Sigma id "));
            assertThat(m).anySatisfy(x -> assertThat(x).startsWith("test.yml:14:1: duplicate Sigma name 'same'"));
        }

        @Test
        void levelsMapToPriorities() {
            String[][] cases = {{"informational", "Informational"}, {"low", "Notice"}, {"medium", "Warning"},
                {"high", "Error"}, {"critical", "Critical"}};
            for (String[] c : cases) {
                RuleSet rs = rules(sigma("t", null, "ConsoleLogin", "level: " + c[0] + "\n"));
                assertThat(rs.evaluate(LOGIN, rs.newContext()).get(0).rule().priority().display()).isEqualTo(c[1]);
            }
            assertThat(rules(sigma("t", null, "ConsoleLogin", "")).rules().get(0).priority()).isEqualTo(Priority.WARNING);
        }

        @Test
        void aTitleAlreadyUsedIsDisambiguatedWithTheId() {
            LoadResult r = RuleLoader.load(List.of(new RuleSource("f.yaml", FALCO), new RuleSource("s.yml",
                    sigma("Falco Console Login", "bbbbbbbb-0000-4000-8000-000000000002", "ConsoleLogin", ""))),
                    LoadOptions.defaults());
            assertThat(r.ruleSet().rules()).extracting(Rule::name).containsExactly("Falco Console Login",
                    "Falco Console Login [bbbbbbbb-0000-4000-8000-000000000002]");
            assertThat(r.warnings()).extracting(Diagnostic::message).singleElement().asString()
                    .contains("another rule is already named 'Falco Console Login'");
        }

        @Test
        void selectionsAndMinimumPriorityApplyToSigmaRules() {
            String yaml = sigma("Keep me", null, "ConsoleLogin", "level: high\ntags:\n  - attack.t1078\n") + "---\n"
                    + sigma("Drop me", null, "ConsoleLogin", "level: low\n");
            assertThat(load(yaml, LoadOptions.defaults().minPriority(Priority.WARNING)).ruleSet().rules())
                    .extracting(Rule::name).containsExactly("Keep me");
            assertThat(load(yaml, LoadOptions.defaults().selectRule(false, "Keep*")).ruleSet().rules())
                    .extracting(Rule::name).containsExactly("Drop me");
            assertThat(load(yaml, LoadOptions.defaults().selectTag(false, "attack.t1078")).ruleSet().rules())
                    .extracting(Rule::name).containsExactly("Drop me");
        }
    }

    @Nested
    class EventNameIndex {
        @Test
        void theIndexIsCaseInsensitiveLikeSigmaMatching() {
            RuleSet rs = rules(sigma("lower", null, "consolelogin", "") + "---\n"
                    + sigma("list", null, "[GetObject, CONSOLELOGIN]", "") + "---\n" + sigma("other", null, "Nope", ""));
            assertThat(rs.rules().get(0).eventNames()).containsExactly("consolelogin");
            assertThat(rs.candidates(LOGIN)).extracting(Rule::name).containsExactly("lower", "list");
            assertThat(fired(rs, LOGIN)).containsExactly("lower", "list");
        }

        @Test
        void anAndOfNamesDifferingInCaseStillIndexesTheRule() {
            RuleSet rs = rules("title: both\n" + LOGSOURCE + "detection:\n  a:\n    eventName: ConsoleLogin\n"
                    + "  b:\n    eventName: [consolelogin, Other]\n  condition: a and b\n");
            assertThat(rs.rules().get(0).eventNames()).containsExactly("ConsoleLogin");
            assertThat(fired(rs, LOGIN)).containsExactly("both");
        }

        @Test
        void wildcardsNegationsAndOrsWithUnconstrainedBranchesAreNotIndexed() {
            RuleSet rs = rules(sigma("wild", null, "'Console*'", "") + "---\n"
                    + "title: neg\n" + LOGSOURCE + "detection:\n  s:\n    eventName|neq: X\n  condition: s\n---\n"
                    + "title: or\n" + LOGSOURCE + "detection:\n  a:\n    eventName: X\n  b:\n    awsRegion: r\n"
                    + "  condition: a or b\n---\n"
                    + "title: and\n" + LOGSOURCE + "detection:\n  a:\n    eventName: [X, Y]\n  b:\n    eventName: [Y, Z]\n"
                    + "  condition: a and b\n");
            assertThat(rs.rules()).extracting(Rule::eventNames).containsExactly(null, null, null, java.util.Set.of("Y"));
            assertThat(fired(rs, LOGIN)).containsExactly("wild", "neg");
        }
    }

    @Nested
    class Filters {
        static final String RULES = "title: List buckets\nid: cccccccc-0000-4000-8000-000000000003\nname: list_buckets\n"
                + LOGSOURCE + "detection:\n  selection:\n    eventName: ListBuckets\n  condition: selection\n---\n"
                + "title: Get object\n" + LOGSOURCE + "detection:\n  selection:\n    eventName: GetObject\n"
                + "  condition: selection\n";

        String filter(String rules, String condition) {
            return "---\ntitle: Allow the IaC role\n" + LOGSOURCE + "filter:\n  rules: " + rules + "\n"
                    + "  iac:\n    userIdentity.arn|endswith: ':role/terraform'\n  condition: " + condition + "\n";
        }

        final CloudTrailEvent iacList = q("{'eventName':'ListBuckets','userIdentity':{'arn':'arn:aws:iam::1:role/terraform'}}");
        final CloudTrailEvent userList = q("{'eventName':'ListBuckets','userIdentity':{'arn':'arn:aws:iam::1:user/bob'}}");
        final CloudTrailEvent iacGet = q("{'eventName':'GetObject','userIdentity':{'arn':'arn:aws:iam::1:role/terraform'}}");

        @Test
        void aFilterIsAndedIntoItsTargetsById() {
            RuleSet rs = rules(RULES + filter("[cccccccc-0000-4000-8000-000000000003]", "not iac"));
            assertThat(fired(rs, iacList)).isEmpty();
            assertThat(fired(rs, userList)).containsExactly("List buckets");
            assertThat(fired(rs, iacGet)).containsExactly("Get object");
        }

        @Test
        void targetsByNameOrTitleAndAny() {
            assertThat(fired(rules(RULES + filter("list_buckets", "not iac")), iacList)).isEmpty();
            assertThat(fired(rules(RULES + filter("['Get object']", "not iac")), iacGet)).isEmpty();
            RuleSet any = rules(RULES + filter("any", "not iac"));
            assertThat(fired(any, iacList)).isEmpty();
            assertThat(fired(any, iacGet)).isEmpty();
            assertThat(fired(rules(RULES + filter("[]", "not iac")), iacGet)).as("an empty list is any").isEmpty();
        }

        @Test
        void aPositiveFilterConditionNarrowsTheRule() {
            RuleSet rs = rules(RULES + filter("any", "iac"));
            assertThat(fired(rs, iacList)).containsExactly("List buckets");
            assertThat(fired(rs, userList)).isEmpty();
        }

        @Test
        void filtersForOtherLogsourcesOrUnknownTargetsWarn() {
            String winFilter = "---\ntitle: Win\nlogsource:\n  product: windows\nfilter:\n  rules: any\n"
                    + "  s:\n    User: x\n  condition: not s\n";
            LoadResult r = load(RULES + winFilter + filter("[nope]", "not iac"));
            assertThat(r.errors()).isEmpty();
            assertThat(r.warnings()).extracting(Diagnostic::message)
                    .anySatisfy(m -> assertThat(m).contains("is for logsource product: windows").endsWith("ignored"))
                    .anySatisfy(m -> assertThat(m).contains("unknown rule reference 'nope'"));
            assertThat(fired(r.ruleSet(), iacList)).containsExactly("List buckets");
        }

        @Test
        void aBrokenFilterIsAnErrorAtItsPosition() {
            LoadResult r = load(RULES + "---\ntitle: f\n" + LOGSOURCE + "filter:\n  rules: any\n  s:\n    a|bogus: x\n"
                    + "  condition: not s\n");
            assertThat(r.errors()).extracting(Diagnostic::toString).singleElement().asString()
                    .startsWith("test.yml:28:5: Sigma filter 'f': unknown modifier 'bogus'");
            assertThat(load(RULES + "---\ntitle: f\n" + LOGSOURCE + "filter:\n  rules: any\n  s:\n    a: x\n")
                    .errors().get(0).message()).contains("a filter needs a 'condition'");
        }
    }

    @Nested
    class Errata {
        @Test
        void anErratumIsNotAppliedToARuleWhoseDefectIsGone() throws Exception {
            Path file = Shared.require("anchors/sigma/rules/aws_update_login_profile.yml");
            String fixed = Files.readString(file).replace("userIdentity.arn|fieldref:", "userIdentity.arn|fieldref|contains:");
            LoadResult r = load(fixed);
            assertThat(r.errors()).isEmpty();
            assertThat(r.warnings()).extracting(Diagnostic::message).singleElement().asString()
                    .isEqualTo("Sigma rule 055fb148-60f8-462d-ad16-26926ce050f1 (AWS User Login Profile Was Modified): "
                            + "erratum f0189c27-71ac-415f-a487-b9078731de14 no longer matches the rule (the defect "
                            + "'userIdentity.arn|fieldref: requestParameters.userName' in 'filter_main_user_identity' is "
                            + "gone; fixed upstream?): not applied");
        }

        @Test
        void theSamlErratumRemovesTheStatusItemAndKeepsSuccessfulCallsOnly() throws Exception {
            Path file = Shared.require("anchors/sigma/rules/aws_delete_saml_provider.yml");
            RuleSet rs = rules(Files.readString(file));
            CloudTrailEvent ok = q("{'eventSource':'iam.amazonaws.com','eventName':'DeleteSAMLProvider'}");
            CloudTrailEvent denied = q("{'eventSource':'iam.amazonaws.com','eventName':'DeleteSAMLProvider',"
                    + "'errorCode':'AccessDenied'}");
            assertThat(fired(rs, ok)).containsExactly("AWS SAML Provider Deletion Activity");
            assertThat(fired(rs, denied)).isEmpty();
            Alert a = rs.evaluate(ok, rs.newContext()).get(0);
            assertThat(a.outputFields()).containsEntry("sigma.errata", List.of("f5806765-d461-4af3-a2a6-a9e3a8fbd6d0"));
            RuleSet upstream = load(Files.readString(file), LoadOptions.defaults().sigmaErrata(false)).orThrow();
            assertThat(fired(upstream, ok)).isEmpty();
            assertThat(upstream.evaluate(q("{'eventSource':'iam.amazonaws.com','eventName':'DeleteSAMLProvider',"
                    + "'status':'success'}"), upstream.newContext())).hasSize(1);
        }

        @Test
        void theBundledErrataParse() {
            assertThat(io.trailguard.rules.sigma.Errata.bundled().size()).isEqualTo(3);
        }
    }
}
