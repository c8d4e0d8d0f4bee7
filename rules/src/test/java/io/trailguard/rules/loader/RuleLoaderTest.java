package io.trailguard.rules.loader;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static io.trailguard.rules.testing.Events.alerts;
import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** Rules files: items, lists, macros, exceptions, append/override, selection, and every loader error. */
class RuleLoaderTest {
    static final CloudTrailEvent RUN = q("{'eventName':'RunInstances','eventSource':'ec2.amazonaws.com',"
            + "'awsRegion':'eu-west-3','sourceIPAddress':'1.2.3.4','eventTime':'2023-07-10T11:42:05Z',"
            + "'userIdentity':{'type':'IAMUser','userName':'alice'},'eventID':'id-1'}");

    static String rule(String name, String condition) {
        return "- rule: " + name + "\n  desc: d\n  condition: " + condition + "\n  output: out %ct.user\n"
                + "  priority: WARNING\n  source: aws_cloudtrail\n";
    }

    static List<String> fired(RuleSet rs, CloudTrailEvent e) {
        return alerts(rs, e).stream().map(x -> x.rule().name()).collect(Collectors.toList());
    }

    static String firstError(String yaml) {
        LoadResult r = load(yaml);
        assertThat(r.ok()).as("expected an error").isFalse();
        return r.errors().get(0).toString();
    }

    // ---- lists and macros --------------------------------------------------------------------

    @Test
    void listsAndNestedListsAndMacros() {
        String yaml = "- list: eu\n  items: [eu-west-1, eu-west-3]\n"
                + "- list: regions\n  items: [eu, us-east-1]\n"
                + "- macro: in_regions\n  condition: ct.region in (regions)\n"
                + "- macro: run\n  condition: ct.name = RunInstances and in_regions\n"
                + rule("R", "run and not ct.error exists");
        RuleSet rs = load(yaml).orThrow();
        assertThat(fired(rs, RUN)).containsExactly("R");
        assertThat(rs.rules().get(0).eventNames()).containsExactly("RunInstances");
    }

    @Test
    void macroMayOnlyUseEarlierMacros() {
        String yaml = "- macro: a\n  condition: b\n- macro: b\n  condition: ct.name = X\n" + rule("R", "a");
        assertThat(firstError(yaml)).isEqualTo("test.yaml:2:14: macro 'a': Undefined macro 'b' used in filter.");
    }

    @Test
    void rulesMayUseMacrosDefinedLater() {
        String yaml = rule("R", "later") + "- macro: later\n  condition: ct.name = RunInstances\n";
        assertThat(fired(load(yaml).orThrow(), RUN)).containsExactly("R");
    }

    @Test
    void undefinedMacroInRule() {
        assertThat(firstError(rule("R", "nope and ct.name = X")))
                .isEqualTo("test.yaml:3:14: rule 'R': Undefined macro 'nope' used in filter.");
    }

    @Test
    void selfReferencingMacroIsUndefined() {
        String yaml = "- macro: m\n  condition: m or ct.name = X\n" + rule("R", "m");
        assertThat(firstError(yaml)).contains("Undefined macro 'm'");
    }

    @Test
    void unusedListsAndMacrosAreWarnings() {
        LoadResult r = load("- list: l\n  items: [a]\n- macro: m\n  condition: ct.name = X\n" + rule("R", "ct.name = Y"));
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(Diagnostic::toString).contains(
                "test.yaml:1:3: warning: List 'l' is defined but not used",
                "test.yaml:3:3: warning: Macro 'm' is defined but not used");
    }

    @Test
    void macroBombIsRejected() {
        StringBuilder yaml = new StringBuilder("- macro: m0\n  condition: ct.name = X\n");
        for (int i = 1; i <= 40; i++) {
            yaml.append("- macro: m").append(i).append("\n  condition: m").append(i - 1).append(" or m")
                    .append(i - 1).append("\n");
        }
        yaml.append(rule("R", "m40"));
        assertThat(firstError(yaml.toString())).contains("expands (through macros) to more than");
    }

    // ---- exceptions ------------------------------------------------------------------------------

    @Test
    void tupleAndSingleFieldExceptions() {
        String base = "- list: trusted\n  items: [bob]\n"
                + "- rule: R\n  desc: d\n  condition: ct.name = RunInstances\n  output: o\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n  exceptions:\n";
        RuleSet quiet = load(base + "  - name: user_region\n    fields: [ct.user, ct.region]\n"
                + "    values: [[alice, eu-west-3]]\n").orThrow();
        assertThat(fired(quiet, RUN)).isEmpty();
        RuleSet noisy = load(base + "  - name: user_region\n    fields: [ct.user, ct.region]\n"
                + "    values: [[alice, us-east-1]]\n").orThrow();
        assertThat(fired(noisy, RUN)).containsExactly("R");
        RuleSet listItem = load(base + "  - name: users\n    fields: [ct.user, ct.region]\n"
                + "    comps: [in, startswith]\n    values: [[[bob, alice], eu-]]\n").orThrow();
        assertThat(fired(listItem, RUN)).isEmpty();
        RuleSet single = load(base + "  - name: users\n    fields: ct.user\n    values: [trusted, alice]\n").orThrow();
        assertThat(fired(single, RUN)).isEmpty();
        RuleSet listName = load(base + "  - name: users\n    fields: ct.user\n    values: [trusted]\n").orThrow();
        assertThat(fired(listName, RUN)).containsExactly("R");
        RuleSet noValues = load(base + "  - name: later\n    fields: [aws.user, aws.region]\n").orThrow();
        assertThat(fired(noValues, RUN)).containsExactly("R");
    }

    @Test
    void exceptionErrors() {
        String base = "- rule: R\n  desc: d\n  condition: ct.name = X\n  output: o\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n  exceptions:\n";
        assertThat(firstError(base + "  - name: e\n    fields: [ct.user, ct.region]\n    values: [[a]]\n"))
                .isEqualTo("test.yaml:10:14: Fields and values lists must have equal length");
        assertThat(firstError(base + "  - name: e\n    fields: [ct.user]\n    comps: [=, =]\n"))
                .contains("fields and comps lists must have equal length");
        assertThat(firstError(base + "  - name: e\n    fields: [ct.user]\n    comps: [like]\n"))
                .contains("'like' is not a supported comparison operator");
        assertThat(firstError(base + "  - name: e\n    fields: [ct.nosuch]\n    values: [[a]]\n"))
                .contains("exception 'e': 'ct.nosuch' is not a supported filter field");
        assertThat(firstError(base + "  - fields: [ct.user]\n"))
                .contains("Item has no mapping for key 'name'");
        assertThat(firstError(base + "  - name: e\n    fields: ct.user\n    comps: =\n"))
                .contains("When fields is a single value, comps must be one of (in, pmatch, intersects)");
    }

    // ---- append and override -----------------------------------------------------------------

    @Test
    void appendAndOverride() {
        String base = "- list: names\n  items: [A]\n" + rule("R", "ct.name in (names)");
        RuleSet appended = load(base + "- list: names\n  items: [RunInstances]\n  override:\n    items: append\n")
                .orThrow();
        assertThat(fired(appended, RUN)).containsExactly("R");
        RuleSet deprecated = load(base + "- list: names\n  items: [RunInstances]\n  append: true\n").orThrow();
        assertThat(fired(deprecated, RUN)).containsExactly("R");
        RuleSet condAppend = load(rule("R", "ct.name = RunInstances")
                + "- rule: R\n  condition: and ct.region = us-east-1\n  override:\n    condition: append\n").orThrow();
        assertThat(fired(condAppend, RUN)).isEmpty();
        RuleSet replaced = load(rule("R", "ct.name = Nope")
                + "- rule: R\n  condition: ct.name = RunInstances\n  priority: CRITICAL\n  tags: [x]\n"
                + "  override:\n    condition: replace\n    priority: replace\n    tags: append\n").orThrow();
        assertThat(fired(replaced, RUN)).containsExactly("R");
        assertThat(replaced.rules().get(0).priority()).isEqualTo(Priority.CRITICAL);
        assertThat(replaced.rules().get(0).tags()).containsExactly("x");
        RuleSet outputAppend = load(rule("R", "ct.name = RunInstances")
                + "- rule: R\n  output: (extra)\n  override:\n    output: append\n").orThrow();
        assertThat(alerts(outputAppend, RUN).get(0).output()).isEqualTo("out alice (extra)");
        RuleSet disabled = load(rule("R", "ct.name = RunInstances")
                + "- rule: R\n  enabled: false\n  override:\n    enabled: replace\n").orThrow();
        assertThat(disabled.rules()).isEmpty();
        RuleSet toggled = load(rule("R", "ct.name = RunInstances") + "- rule: R\n  enabled: false\n").orThrow();
        assertThat(toggled.rules()).isEmpty();
        RuleSet exceptionsAppended = load(rule("R", "ct.name = RunInstances").replace("  source:",
                "  exceptions:\n  - name: u\n    fields: [ct.user]\n    values: [[bob]]\n  source:")
                + "- rule: R\n  exceptions:\n  - name: u\n    values: [[alice]]\n  override:\n    exceptions: append\n")
                .orThrow();
        assertThat(fired(exceptionsAppended, RUN)).isEmpty();
    }

    @Test
    void overrideErrors() {
        String base = rule("R", "ct.name = X");
        assertThat(firstError(base + "- rule: R\n  condition: x.y = 1\n  append: true\n  override:\n    condition: append\n"))
                .contains("Keys 'override' and 'append: true' cannot be used together");
        assertThat(firstError("- rule: Nope\n  condition: x.y = 1\n  override:\n    condition: append\n"))
                .isEqualTo("test.yaml:1:3: Rule has 'append' or 'override' key but no rule by that name already exists");
        assertThat(firstError(base + "- rule: R\n  condition: and ct.region = x\n  desc: more\n  override:\n"
                + "    condition: append\n")).contains("Unexpected key 'desc'");
        assertThat(firstError(base + "- rule: R\n  override:\n    condition: append\n"))
                .contains("An append override for 'condition' was specified but 'condition' is not defined");
        assertThat(firstError(base + "- rule: R\n  priority: INFO\n  override:\n    priority: append\n"))
                .contains("Key 'priority' cannot be appended to");
        assertThat(firstError("- macro: m\n  condition: x.y = 1\n  override:\n    condition: append\n"))
                .contains("no macro by that name already exists");
        assertThat(firstError("- list: l\n  items: [a]\n  append: true\n"))
                .contains("no list by that name already exists");
        assertThat(firstError("- rule: R\n  enabled: false\n")).contains("no rule by that name already exists");
    }

    @Test
    void redefinitionReplacesButKeepsPosition() {
        RuleSet rs = load(rule("A", "ct.name = RunInstances") + rule("B", "ct.name = RunInstances")
                + rule("A", "ct.region = eu-west-3"), LoadOptions.defaults().matching(MatchingMode.FIRST)).orThrow();
        assertThat(rs.rules()).extracting(Rule::name).containsExactly("A", "B");
        assertThat(fired(rs, RUN)).containsExactly("A");
    }

    // ---- items, keys and sources -------------------------------------------------------------

    @Test
    void missingRequiredKeys() {
        assertThat(firstError("- rule: R\n  desc: d\n  condition: ct.name = X\n  priority: INFO\n"))
                .isEqualTo("test.yaml:1:3: Item has no mapping for key 'output'");
        assertThat(firstError("- list: l\n")).contains("Item has no mapping for key 'items'");
        assertThat(firstError("- macro: m\n")).contains("Item has no mapping for key 'condition'");
    }

    @Test
    void badValues() {
        assertThat(firstError(rule("R", "ct.name = X").replace("WARNING", "SEVERE")))
                .isEqualTo("test.yaml:5:13: Invalid priority 'SEVERE' (expected one of emergency, alert, critical, "
                        + "error, warning, notice, informational, debug)");
        assertThat(firstError(rule("R", "ct.name = X") + "  enabled: maybe\n")).contains("enabled must be true or false");
        assertThat(firstError("rule: R\n")).contains("Rules content is not yaml array of objects");
        assertThat(firstError("- just a string\n")).contains("Each element should be a yaml associative array");
        assertThat(firstError("- rule: R\n  rule: S\n")).contains("found duplicate key rule");
        assertThat(firstError("- rule: [unclosed\n")).startsWith("test.yaml:2:1: invalid YAML");
        assertThat(firstError("- required_engine_version: 1000\n"))
                .contains("Rules require engine version 1000, but engine version is 0.63.0");
        assertThat(firstError("- required_engine_version: 1.0.0\n"))
                .contains("Rules require engine version 1.0.0");
    }

    @Test
    void unknownFieldsAndOperatorsAreErrorsUnlessSkipped() {
        assertThat(firstError(rule("R", "ct.nosuchfield = X")))
                .isEqualTo("test.yaml:3:14: rule 'R': unknown field 'ct.nosuchfield'");
        LoadResult skipped = load(rule("R", "ct.nosuchfield = X") + "  skip-if-unknown-filter: true\n");
        assertThat(skipped.ok()).isTrue();
        assertThat(skipped.ruleSet().rules()).isEmpty();
        assertThat(skipped.warnings()).extracting(Diagnostic::message).anyMatch(m -> m.contains("skipped"));
        assertThat(firstError(rule("R", "s3.bytes contains 1")))
                .contains("operator 'contains' does not apply to numeric field 's3.bytes'");
        assertThat(firstError(rule("R", "ct.name bcontains 41"))).contains("applies only to byte-buffer fields");
        assertThat(firstError(rule("R", "ct.name regex \"(\"")))
                .contains("invalid regex pattern '('");
        assertThat(firstError(rule("R", "ct.name = X").replace("out %ct.user", "out %ct.nosuch")))
                .isEqualTo("test.yaml:4:11: rule 'R': invalid output format: unknown field 'ct.nosuch'");
    }

    @Test
    void unknownKeysAndItemsAreWarnings() {
        LoadResult r = load(rule("R", "ct.name = X") + "  colour: blue\n- something: else\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(Diagnostic::toString).contains(
                "test.yaml:7:3: warning: Unknown key 'colour'. The key will be ignored.",
                "test.yaml:8:3: warning: Unknown top level item [something]. The item will be ignored.");
    }

    @Test
    void sourcesOtherThanCloudTrailAreSkippedWithAWarning() {
        LoadResult r = load(rule("S", "proc.name = bash").replace("aws_cloudtrail", "syscall")
                + rule("K", "ka.verb = create").replace("aws_cloudtrail", "k8s_audit")
                + rule("J", "jevt.value[/eventName] = RunInstances").replace("aws_cloudtrail", "k8s_audit")
                + rule("N", "ct.name = X").replace("  source: aws_cloudtrail\n", ""));
        assertThat(r.ok()).isTrue();
        assertThat(r.ruleSet().rules()).extracting(Rule::name).containsExactly("J");
        assertThat(r.warnings()).extracting(Diagnostic::message)
                .anyMatch(m -> m.startsWith("Unknown source syscall, skipping rule 'S'"))
                .anyMatch(m -> m.startsWith("Unknown source k8s_audit, skipping rule 'K'"))
                .anyMatch(m -> m.contains("no 'source' key"));
    }

    @Test
    void yamlBombIsRejected() {
        String bomb = "- list: a\n  items: &a [x, x, x, x, x, x, x, x, x]\n"
                + "- list: b\n  items: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "- list: c\n  items: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "- list: d\n  items: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "- list: e\n  items: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                + "- list: f\n  items: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                + "- list: g\n  items: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assertThat(firstError(bomb)).contains("invalid YAML");
    }

    @Test
    void yaml12CoreTypesKeepNoAsAString() {
        RuleSet rs = load("- list: answers\n  items: [NO, yes, 'on']\n" + rule("R", "ct.user in (answers)")).orThrow();
        assertThat(fired(rs, q("{'eventName':'X','userIdentity':{'type':'IAMUser','userName':'NO'}}")))
                .containsExactly("R");
    }

    @Test
    void selectionAndMinimumPriority() {
        String yaml = rule("A", "ct.name = RunInstances") + rule("B", "ct.name = RunInstances").replace("WARNING", "DEBUG")
                + rule("C", "ct.name = RunInstances").replace("source:", "tags: [noisy]\n  source:");
        RuleSet minWarn = load(yaml, LoadOptions.defaults().minPriority(Priority.WARNING)).orThrow();
        assertThat(minWarn.rules()).extracting(Rule::name).containsExactly("A", "C");
        RuleSet noNoisy = load(yaml, LoadOptions.defaults().selectTag(false, "noisy")).orThrow();
        assertThat(noNoisy.rules()).extracting(Rule::name).containsExactly("A", "B");
        RuleSet onlyA = load(yaml, LoadOptions.defaults().selectRule(false, "*").selectRule(true, "A")).orThrow();
        assertThat(onlyA.rules()).extracting(Rule::name).containsExactly("A");
    }

    @Test
    void everyFileIsReadAndEveryItemErrorIsReported() {
        LoadResult r = RuleLoader.load(List.of(new RuleSource("a.yaml", "- rule: [\n"),
                new RuleSource("b.yaml", "- list: l\n- list: m\n")), LoadOptions.defaults());
        assertThat(r.errors()).extracting(Diagnostic::file).containsExactly("a.yaml", "b.yaml", "b.yaml");
    }

    @Test
    void bundledPacksLoad() {
        LoadResult r = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        assertThat(r.ruleSet().size()).isGreaterThan(5);
    }
}
