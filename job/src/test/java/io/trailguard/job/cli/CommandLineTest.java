package io.trailguard.job.cli;

import com.sun.net.httpserver.HttpServer;
import io.trailguard.rules.field.FieldRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.trailguard.job.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The command line's own behaviour: help, version, suggestions, completion, defaults, aliases, selections. */
class CommandLineTest {
    static CliTest.Result runWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new CliTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command path of the tree ("replay", "rules list", ...). */
    static List<String> commandPaths() {
        List<String> out = new ArrayList<>();
        collect(Commands.commandLine(new Cli(System.out, System.err), Map.of()), "", out);
        return out;
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String path = (prefix + " " + e.getKey()).trim();
            out.add(path);
            collect(e.getValue(), path, out);
        }
    }

    @Test
    void everyCommandAnswersHelpWithExitZeroAndItsOwnUsage() {
        List<String> paths = commandPaths();
        assertThat(paths).contains("demo", "replay", "test", "validate", "rules", "rules list", "fields", "run",
                "publish", "send", "completion", "help");
        for (String path : paths) {
            if (path.equals("help")) {
                continue;
            }
            List<String> args = new ArrayList<>(Arrays.asList(path.split(" ")));
            args.add("--help");
            CliTest.Result r = run(args.toArray(new String[0]));
            assertThat(r.code).as(path + "\n" + r.err).isZero();
            assertThat(r.out).as(path).startsWith("Usage: trailguard " + path);
        }
        CliTest.Result root = run("--help");
        assertThat(root.code).isZero();
        assertThat(root.out).contains("replay", "publish", "rules", "fields", "completion", "Exit codes");
        assertThat(run("help", "replay").out).startsWith("Usage: trailguard replay");
        assertThat(run("-h").code).isZero();
    }

    @Test
    void versionNamesTheBuildTheCommitFlinkAndTheBundledPacks() {
        CliTest.Result r = run("--version");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).containsPattern("^trailguard \\d+\\.\\d+\\.\\d+");
        assertThat(r.out).containsPattern("git commit: ([0-9a-f]{7,40}|unknown)\n");
        assertThat(r.out).contains("flink: 1.20.", "(runtime 1.20.");
        assertThat(r.out).containsPattern("bundled packs: \\d+ files, \\d+ rules, hash [0-9a-f]+");
        assertThat(run("-V").out).isEqualTo(r.out);
        assertThat(run("replay", "--version").out).isEqualTo(r.out);
    }

    @Test
    void typosGetSuggestionsAndExitTwo() {
        CliTest.Result cmd = run("repaly");
        assertThat(cmd.code).isEqualTo(2);
        assertThat(cmd.err).contains("Did you mean", "replay");
        CliTest.Result opt = run("replay", "--input", "x", "--inptu", "y");
        assertThat(opt.code).isEqualTo(2);
        assertThat(opt.err).contains("--inptu", "--input").doesNotContain("input path does not exist");
        CliTest.Result rulesTypo = run("validate", "--rulez", "x");
        assertThat(rulesTypo.code).isEqualTo(2);
        assertThat(rulesTypo.err).contains("Unknown option", "--rulez", "Possible solutions: --rules");
    }

    @Test
    void oldFlagNamesStillWorkWithADeprecationWarning() {
        CliTest.Result r = run("run", "--aws-region", "us-east-1", "--aws-endpoint", "http://localhost:1");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--aws-region is deprecated", "use --region",
                "--aws-endpoint is deprecated", "use --endpoint-url", "no events stream");
        CliTest.Result now = run("run", "--region", "us-east-1", "--endpoint-url", "http://localhost:1");
        assertThat(now.err).contains("no events stream").doesNotContain("deprecated");
    }

    @Test
    void environmentDefaultsApplyAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("r.yaml");
        Files.writeString(rules, io.trailguard.job.TestRules.ACCESS_KEY_RULE);
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, io.trailguard.job.TestRules.BROKEN_RULE);
        CliTest.Result fromEnv = runWith(Map.of("TRAILGUARD_RULES", rules.toString()), "validate");
        assertThat(fromEnv.code).as(fromEnv.err).isZero();
        assertThat(fromEnv.out).startsWith("ok: 1 rules in 1 file(s)");
        CliTest.Result wins = runWith(Map.of("TRAILGUARD_RULES", rules.toString()), "validate", "--rules",
                broken.toString());
        assertThat(wins.code).isEqualTo(1);
        assertThat(wins.err).contains(broken.toString());
        assertThat(EnvironmentDefaults.variable("--events-stream")).isEqualTo("TRAILGUARD_EVENTS_STREAM");
    }

    @Test
    void dashReadsRulesFromStdin() {
        Stdin.use(new ByteArrayInputStream(io.trailguard.job.TestRules.ACCESS_KEY_RULE.getBytes(StandardCharsets.UTF_8)));
        try {
            CliTest.Result r = run("validate", "-r", "-");
            assertThat(r.code).as(r.err).isZero();
            assertThat(r.out).startsWith("ok: 1 rules in 1 file(s)");
        } finally {
            Stdin.use(System.in);
        }
    }

    @Test
    void completionScriptsCoverTheCommandTree() {
        CliTest.Result bash = run("completion", "bash");
        assertThat(bash.code).isZero();
        assertThat(bash.out).contains("complete -F", "trailguard", "replay", "--disable-rule", "--endpoint-url");
        CliTest.Result zsh = run("completion", "zsh");
        assertThat(zsh.out).startsWith("autoload -U +X compinit").contains("bashcompinit", "replay");
        assertThat(run("completion", "fish").code).isEqualTo(2);
    }

    /** The bash script completes in a real bash: a command from its prefix, then that command's options. */
    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("trailguard.bash");
        Files.writeString(script, run("completion", "bash").out);
        assertThat(complete(script, "rep")).contains("replay").doesNotContain("run");
        assertThat(complete(script, "replay", "--endpoint")).contains("--endpoint-url");
        assertThat(complete(script, "rules", "")).contains("list");
    }

    /** The words bash would offer after {@code trailguard WORDS...} (the last word is the one being completed). */
    private static List<String> complete(Path script, String... words) throws Exception {
        StringBuilder w = new StringBuilder("trailguard");
        for (String word : words) {
            w.append(" '").append(word).append("'");
        }
        String program = "source '" + script + "'\n"
                + "COMP_WORDS=(" + w + "); COMP_CWORD=" + words.length + "; COMP_LINE=\"${COMP_WORDS[*]}\";"
                + " COMP_POINT=${#COMP_LINE}\n"
                + "_complete_trailguard trailguard \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        // stderr carries bash's note that compopt runs outside a real completion; only the offered words matter
        Process p = new ProcessBuilder("bash", "-c", program)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String> offered = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                offered.add(line.trim());
            }
        }
        return offered;
    }

    /** Falco's rule selection: names exact unless they hold {@code *}; tags exact. */
    @Test
    void disableRuleMatchesNamesExactlyOrByWildcardAndDisableTagMatchesTagsExactly() {
        assertThat(RuleSelection.nameMatches("IAM Policy Changes", "IAM Policy Changes")).isTrue();
        assertThat(RuleSelection.nameMatches("IAM Policy", "IAM Policy Changes")).isFalse();
        assertThat(RuleSelection.nameMatches("IAM*", "IAM Policy Changes")).isTrue();
        assertThat(RuleSelection.nameMatches("*Policy*", "IAM Policy Changes")).isTrue();
        assertThat(RuleSelection.nameMatches("*policy*", "IAM Policy Changes")).isFalse();
        assertThat(RuleSelection.nameMatches("I?M*", "IAM Policy Changes")).isFalse();
        assertThat(RuleSelection.nameMatches("*", "anything")).isTrue();

        long all = Long.parseLong(run("rules", "list", "--count").out.trim());
        long iam = run("rules", "list").outLines().stream().filter(l -> l.startsWith("IAM")).count();
        assertThat(iam).isPositive();
        assertThat(Long.parseLong(run("rules", "list", "--count", "-D", "IAM*").out.trim())).isEqualTo(all - iam);
        CliTest.Result exact = run("rules", "list", "--count", "--disable-rule", "IAM Policy");
        assertThat(Long.parseLong(exact.out.trim())).isEqualTo(all);
        assertThat(exact.err).contains("--disable-rule 'IAM Policy' matches no loaded rule");
        assertThat(Long.parseLong(run("rules", "list", "--count", "-D", "IAM Policy Changes").out.trim()))
                .isEqualTo(all - 1);

        List<String> persistence = run("rules", "list", "--tag", "attack.persistence").outLines();
        assertThat(persistence).isNotEmpty().allSatisfy(l -> assertThat(l.split("\t")[3].split(","))
                .contains("attack.persistence"));
        assertThat(Long.parseLong(run("rules", "list", "--count", "-T", "attack.persistence").out.trim()))
                .isEqualTo(all - persistence.size());
        CliTest.Result partial = run("rules", "list", "--count", "-T", "persistence");
        assertThat(Long.parseLong(partial.out.trim())).isEqualTo(all);
        assertThat(run("rules", "list", "--source", "packs/iam.yaml").outLines())
                .isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(l.substring(l.lastIndexOf('\t'))).contains("packs/iam.yaml:"));
        assertThat(run("rules").code).isEqualTo(2);
    }

    @Test
    void fieldsListsEveryFieldOfTheRegistryWithADescription() throws Exception {
        CliTest.Result r = run("fields");
        assertThat(r.code).isZero();
        List<String> names = new ArrayList<>();
        for (String line : r.outLines()) {
            String[] parts = line.split("\t");
            assertThat(parts).as(line).hasSize(2);
            assertThat(parts[1]).as(line).isNotBlank();
            names.add(parts[0]);
        }
        assertThat(names).containsExactlyElementsOf(FieldRegistry.names());
        assertThat(FieldsCommand.descriptions().keySet()).containsExactlyInAnyOrderElementsOf(FieldRegistry.names());
        assertThat(run("fields", "--prefix", "ct.user", "--names").outLines()).contains("ct.user", "ct.user.arn")
                .allSatisfy(l -> assertThat(l).startsWith("ct.user"));
    }

    @Test
    void testRunsASubsetChecksFixtureCountsAndWritesJUnitXml(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("reports").resolve("fixtures.xml");
        CliTest.Result subset = run("test", "--rule", "CloudTrail*", "--junit-xml", xml.toString());
        assertThat(subset.code).as(subset.out + subset.err).isZero();
        List<String> rows = subset.outLines().stream().filter(l -> l.startsWith("PASS")).collect(
                java.util.stream.Collectors.toList());
        assertThat(rows).isNotEmpty().allSatisfy(l -> assertThat(l).contains("CloudTrail"));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(rows.size()).isEqualTo(Integer.parseInt(root.getAttribute("tests")));
        assertThat(root.getAttribute("failures")).isEqualTo("0");
        assertThat(doc.getElementsByTagName("failure").getLength()).isZero();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            assertThat(c.getAttribute("name")).contains("CloudTrail");
            assertThat(c.getAttribute("classname")).startsWith("fixtures/");
            assertThat(((Element) c.getParentNode()).getAttribute("name")).isEqualTo(c.getAttribute("classname"));
        }

        CliTest.Result strict = run("test", "--rule", "CloudTrail*", "--min-fixtures", "1000", "--failures-only",
                "--junit-xml", xml.toString());
        assertThat(strict.code).isEqualTo(1);
        assertThat(strict.out).containsPattern("FAIL  rule 'CloudTrail[^']*' has \\d+ positive and \\d+ negative "
                + "case\\(s\\); --min-fixtures 1000 needs 1000 of each");
        Document failing = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(failing.getElementsByTagName("failure").getLength()).isPositive();
        assertThat(Integer.parseInt(failing.getDocumentElement().getAttribute("failures"))).isPositive();

        CliTest.Result none = run("test", "--rule", "No Such Rule");
        assertThat(none.code).isEqualTo(1);
        assertThat(none.err).contains("no case tests a rule named No Such Rule");
    }

    /** {@code --profile}: the AWS clients sign with the named profile's keys, also with an endpoint override. */
    @Test
    void profileSignsWithThatProfilesCredentials(@TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = AKIADEFAULTKEY000000\n"
                + "aws_secret_access_key = secret0\n\n[ci]\naws_access_key_id = AKIAPROFILEKEY000001\n"
                + "aws_secret_access_key = secret1\n");
        Files.writeString(dir.resolve("config"), "[default]\n");
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"no stream\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String oldCredentials = System.getProperty("aws.sharedCredentialsFile");
        String oldConfig = System.getProperty("aws.configFile");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", dir.resolve("config").toString());
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            String input = CliTest.BLOG.resolve("attach_admin_policy_event.json").toString();
            CliTest.Result r = run("send", "--stream", "events", "--input", input, "--region", "us-east-1",
                    "--endpoint-url", endpoint, "--profile", "ci");
            assertThat(r.code).as(r.err).isEqualTo(1);
            assertThat(authorizations).isNotEmpty()
                    .allSatisfy(a -> assertThat(a).contains("Credential=AKIAPROFILEKEY000001/"));
            assertThat(System.getProperty(AwsProfile.PROPERTY)).as("restored after the command").isNull();
            authorizations.clear();
            run("send", "--stream", "events", "--input", input, "--region", "us-east-1", "--endpoint-url", endpoint);
            assertThat(authorizations).isNotEmpty()
                    .noneSatisfy(a -> assertThat(a).contains("AKIAPROFILEKEY000001"));
        } finally {
            server.stop(0);
            restore("aws.sharedCredentialsFile", oldCredentials);
            restore("aws.configFile", oldConfig);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
