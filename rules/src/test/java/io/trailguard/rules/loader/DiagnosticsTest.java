package io.trailguard.rules.loader;

import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rule author sees from one load of several broken files: every error of every file, structural and
 * compile errors together, each at file:line:col with the source line, a caret and "did you mean".
 */
class DiagnosticsTest {
    static String rule(String name, String condition, String priority) {
        return "- rule: " + name + "\n  desc: d\n  condition: " + condition + "\n  output: o\n  priority: "
                + priority + "\n  source: aws_cloudtrail\n";
    }

    static LoadResult load(RuleSource... files) {
        return RuleLoader.load(List.of(files), LoadOptions.defaults());
    }

    static List<String> errors(LoadResult r) {
        return r.errors().stream().map(Diagnostic::toString).collect(Collectors.toList());
    }

    @Test
    void everyErrorOfEveryFileInOneLoad() {
        LoadResult r = load(
                new RuleSource("a.yaml", "- rule: [unclosed\n"),
                new RuleSource("b.yaml", rule("B1", "ct.name = x", "WARNIN") + rule("B2", "ct.nam = x", "INFO")),
                new RuleSource("c.yaml", "- macro: my_macro\n  condition: ct.name = x\n" + rule("C1", "my_macr0", "INFO")
                        + "- list: l\n  no_items: [a]\n"));
        assertThat(r.ok()).isFalse();
        List<String> errors = errors(r);
        assertThat(errors).anyMatch(e -> e.startsWith("a.yaml:"));
        assertThat(errors).contains("b.yaml:5:13: Invalid priority 'WARNIN' (did you mean 'warning'?) (expected one "
                + "of emergency, alert, critical, error, warning, notice, informational, debug)");
        assertThat(errors).contains("b.yaml:9:14: rule 'B2': unknown field 'ct.nam' (did you mean 'ct.name'?)");
        assertThat(errors).contains("c.yaml:5:14: rule 'C1': Undefined macro 'my_macr0' used in filter. (did you "
                + "mean 'my_macro'?)");
        assertThat(errors).contains("c.yaml:9:3: Item has no mapping for key 'items'");
        assertThat(errors).hasSize(5);
    }

    @Test
    void caretUnderTheColumn() {
        LoadResult r = load(new RuleSource("r.yaml", rule("R", "ct.name = x and ct.user contians y", "INFO")));
        Diagnostic d = r.errors().get(0);
        assertThat(r.render(d)).isEqualTo("r.yaml:3:38: rule 'R': unknown operator after field 'ct.user': "
                + "'contians y' (did you mean 'contains'?)\n"
                + "    condition: ct.name = x and ct.user contians y\n"
                + "  " + " ".repeat(37) + "^");
    }

    /** The example in docs/rules.md is what validate prints for that file. */
    @Test
    void docExample() throws java.io.IOException {
        LoadResult r = load(new RuleSource("my-rules/iam.yaml", rule("X", "ct.name = x and ct.usr = bob", "INFO")));
        String rendered = r.render(r.errors().get(0));
        String doc = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("..", "docs", "rules.md")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(doc).contains("```\n" + rendered + "\n```");
    }

    @Test
    void nearListNameIsAWarning() {
        LoadResult r = load(new RuleSource("r.yaml", "- list: admin_users\n  items: [root]\n"
                + rule("R", "ct.user in (admin_user, admin_users)", "INFO")));
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings().stream().map(Diagnostic::toString))
                .contains("r.yaml:5:14: warning: rule 'R': 'admin_user' is not a list and is compared as a literal "
                        + "value (did you mean the list 'admin_users'?)");
    }

    @Test
    void unknownExceptionOperatorSuggests() {
        LoadResult r = load(new RuleSource("r.yaml", rule("R", "ct.name = x", "INFO")
                + "  exceptions:\n  - name: e\n    fields: [ct.user]\n    comps: [startwith]\n    values: [[a]]\n"));
        assertThat(errors(r).get(0)).endsWith("'startwith' is not a supported comparison operator (did you mean "
                + "'startswith'?)");
    }
}
