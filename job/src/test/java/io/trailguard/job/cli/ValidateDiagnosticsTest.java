package io.trailguard.job.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code validate} as a user runs it, on a directory with two broken rule files (a Falco file and a Sigma file) and
 * a file with a YAML error: one run reports every error of every file, structural and compile errors together,
 * each as {@code file:line:col: message} followed by the source line and a caret under the column, with "did you
 * mean" for misspelt names; the YAML error hides nothing of the other files; the exit code is 1.
 */
class ValidateDiagnosticsTest {
    static final Path DIR = Paths.get("src", "test", "resources", "diagnostics");

    @Test
    void everyErrorOfEveryFileWithItsSourceLineAndCaret() {
        CliTest.Result r = CliTest.run("validate", "--no-bundled-rules", "--rules", DIR.toString());
        assertThat(r.code).as(r.err).isEqualTo(1);
        assertThat(r.out).isEmpty();
        String falco = DIR.resolve("falco_rules.yaml").toString();
        String sigma = DIR.resolve("sigma_rule.yml").toString();
        String yaml = DIR.resolve("broken.yaml").toString();
        assertThat(r.err).as("the YAML error, pointing into the unclosed flow sequence")
                .contains(yaml + ":3:12: invalid YAML: expected ',' or ']', but got :"
                        + " (while parsing a flow sequence)\n"
                        + "    condition: ct.name = x\n"
                        + "             ^\n");
        assertThat(r.err).as("a structural error of the Falco file")
                .contains(falco + ":15:13: Invalid priority 'WARNNG' (did you mean 'warning'?) (expected one of "
                        + "emergency, alert, critical, error, warning, notice, informational, debug)\n"
                        + "    priority: WARNNG\n"
                        + "              ^\n");
        assertThat(r.err).as("a compile error of the Falco file")
                .contains(falco + ":6:14: rule 'Unknown field': unknown field 'ct.nmae' (did you mean 'ct.name'?)\n"
                        + "    condition: ct.nmae = CreateUser\n"
                        + "               ^\n");
        assertThat(r.err).as("the compile error of the rule whose priority is wrong too")
                .contains(falco + ":13:39: rule 'Unknown macro and priority': Undefined macro 'my_macr' used in "
                        + "filter. (did you mean 'my_macro'?)\n"
                        + "    condition: ct.name = CreateUser and my_macr\n"
                        + "                                        ^\n");
        assertThat(r.err).as("a metadata error of the Sigma file")
                .contains(sigma + ":3:9: unknown status 'stabel' (expected stable, test, experimental, deprecated "
                        + "or unsupported)\n"
                        + "  status: stabel\n"
                        + "          ^\n");
        assertThat(r.err).as("the detection error of the same Sigma rule")
                .contains(sigma + ":9:5: unknown modifier 'startwith' (did you mean 'startswith'?) (known: ")
                .contains("\n      eventName|startwith: Delete\n      ^\n");
        assertThat(r.err).as("a warning of the Falco file")
                .contains(falco + ":1:3: warning: Macro 'my_macro' is defined but not used\n"
                        + "  - macro: my_macro\n"
                        + "    ^\n");
        assertThat(r.err).endsWith("validate: 6 error(s), 1 warning(s) in 3 file(s)\n");
    }
}
