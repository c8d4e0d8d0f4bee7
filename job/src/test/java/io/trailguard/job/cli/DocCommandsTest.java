package io.trailguard.job.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command the docs show (fenced blocks of README.md, docs/*.md and deployment/local/README.md) against the
 * real command line, so the docs cannot drift: each {@code trailguard} / {@code bin/trailguard} /
 * {@code java -jar job/target/trailguard.jar} line must parse with the command tree (commands, options, values);
 * those that need only local files that exist are run here and must exit 0; the rest (AWS, Kinesis, benchmarks)
 * must name a command that a listed test runs. Every {@code deployment/local/*.sh} line must name an executable
 * script that passes {@code bash -n} and paths that exist.
 */
class DocCommandsTest {
    static final Path ROOT = Paths.get("..");
    /** Commands a doc may show without running them here, and the test that runs each. */
    static final Map<String, String> RUN_ELSEWHERE = Map.of(
            "run", "StartupTest.java",
            "publish", "TuningFileTest.java",
            "send", "CommandLineTest.java",
            "replay", "CliTest.java",
            "test", "TestCommandTest.java");
    static final Set<String> RUN_HERE = Set.of("", "demo", "validate", "test", "rules", "fields", "completion",
            "replay");

    static List<Path> docs() throws Exception {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md"),
                ROOT.resolve("deployment/local/README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** Shell lines of the fenced blocks that are not YAML/JSON, continuations joined, comments dropped. */
    static List<String> shellLines(Path doc) throws Exception {
        List<String> out = new ArrayList<>();
        boolean in = false;
        boolean shell = false;
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(doc)) {
            if (line.trim().startsWith("```")) {
                String lang = line.trim().substring(3).trim();
                in = !in;
                shell = in && (lang.isEmpty() || lang.equals("bash") || lang.equals("sh") || lang.equals("shell"));
                continue;
            }
            if (!in || !shell) {
                continue;
            }
            String l = line.replaceAll("\\s+#\\s.*$", "").trim();
            if (l.endsWith("\\")) {
                pending.append(l, 0, l.length() - 1).append(' ');
                // the next line's indentation is trimmed, so words stay one space apart
                continue;
            }
            pending.append(l);
            String full = pending.toString().trim().replaceAll("\\s{2,}", " ");
            pending.setLength(0);
            for (String part : full.split("&&|\\|")) {
                String p = part.trim().replaceAll("^([A-Z_]+=\\S*\\s+)+", "");
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Words of a command line: single and double quotes, $(...) as one placeholder word. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|\"([^\"]*)\"|\\$\\([^)]*\\)|(\\S+)").matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2)
                    : m.group(3) != null ? m.group(3) : "placeholder");
        }
        return out;
    }

    /** The arguments after the program when the line runs trailguard, else null. */
    static List<String> trailguardArgs(String line) {
        List<String> w = words(line);
        if (w.isEmpty()) {
            return null;
        }
        if (w.get(0).equals("trailguard") || w.get(0).endsWith("/bin/trailguard")) {
            return w.subList(1, w.size());
        }
        if (w.size() >= 3 && w.get(0).equals("java") && w.get(1).equals("-jar") && w.get(2).endsWith("trailguard.jar")) {
            return w.subList(3, w.size());
        }
        return null;
    }

    @Test
    void everyDocumentedCommandParsesAndRunsOrIsRunByATest() throws Exception {
        int checked = 0;
        int ran = 0;
        List<String> problems = new ArrayList<>();
        for (Path doc : docs()) {
            for (String line : shellLines(doc)) {
                List<String> args = trailguardArgs(line);
                if (args != null) {
                    checked++;
                    String where = doc.getFileName() + ": " + line;
                    try {
                        Commands.commandLine(new Cli(System.out, System.err), Map.of())
                                .parseArgs(args.toArray(new String[0]));
                    } catch (CommandLine.ParameterException e) {
                        problems.add(where + ": does not parse: " + e.getMessage());
                        continue;
                    }
                    String command = args.isEmpty() || args.get(0).startsWith("-") ? "" : args.get(0);
                    List<String> local = new ArrayList<>();
                    // s3:// inputs and outputs need an S3 endpoint: S3ReplayTest and SecurityLakeOutputTest use a
                    // local one
                    boolean runnable = RUN_HERE.contains(command) && !line.contains("...")
                            && !line.contains("placeholder") && !args.contains("-")
                            && args.stream().noneMatch(a -> a.contains("s3://"));
                    for (String a : args) {
                        boolean pathLike = a.contains("/") && !a.startsWith("-") && !a.contains(":");
                        if (pathLike && a.startsWith("target/")) {
                            local.add(Files.createTempDirectory("doc-out").resolve(Paths.get(a).getFileName())
                                    .toString());
                        } else if (pathLike && !a.contains("*") && Files.exists(ROOT.resolve(a))) {
                            local.add(ROOT.resolve(a).toString());
                        } else {
                            if (pathLike) {
                                runnable = false;
                            }
                            local.add(a);
                        }
                    }
                    if (runnable) {
                        ran++;
                        ByteArrayOutputStream err = new ByteArrayOutputStream();
                        int code = Main.run(local.toArray(new String[0]),
                                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8));
                        if (code != 0) {
                            problems.add(where + ": exit " + code + ": " + err.toString(StandardCharsets.UTF_8));
                        }
                    } else {
                        String test = RUN_ELSEWHERE.get(command);
                        Path source = test == null ? null : Paths.get("src/test/java/io/trailguard/job/cli", test);
                        if (source == null || !Files.readString(source).contains("\"" + command + "\"")) {
                            problems.add(where + ": neither runnable here nor run by a listed test");
                        }
                    }
                } else if (line.startsWith("deployment/local/")) {
                    checked++;
                    List<String> w = words(line);
                    Path script = ROOT.resolve(w.get(0));
                    if (!Files.isExecutable(script)) {
                        problems.add(doc.getFileName() + ": " + line + ": no executable " + script);
                        continue;
                    }
                    Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
                    if (p.waitFor() != 0) {
                        problems.add(line + ": bash -n fails: " + new String(p.getInputStream().readAllBytes()));
                    }
                    for (String a : w.subList(1, w.size())) {
                        if (!a.startsWith("-") && !a.matches("\\d+") && !Files.exists(ROOT.resolve(a))) {
                            problems.add(doc.getFileName() + ": " + line + ": no such path " + a);
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("commands found in the docs").isGreaterThan(20);
        assertThat(ran).as("commands run here").isGreaterThan(5);
    }

    @Test
    void theExtractorSeesContinuationsPipesAndEnvironmentPrefixes() throws Exception {
        Path doc = Files.createTempFile("doc", ".md");
        Files.writeString(doc, String.join("\n", "```bash", "X=1 trailguard validate \\", "    --rules a.yaml  # why",
                "cat e.json | trailguard replay --input -", "```", "```yaml", "trailguard not-a-command", "```", ""));
        List<String> lines = shellLines(doc);
        assertThat(lines).containsExactly("trailguard validate --rules a.yaml", "cat e.json",
                "trailguard replay --input -");
        assertThat(trailguardArgs(lines.get(0))).containsExactly("validate", "--rules", "a.yaml");
        assertThat(words("publish --stream $(terraform output -raw x) -D 'IAM *'"))
                .containsExactly("publish", "--stream", "placeholder", "-D", "IAM *");
        assertThat(lines.stream().filter(l -> trailguardArgs(l) != null).collect(Collectors.toList())).hasSize(2);
    }

    /**
     * The Maven lines the docs show to measure something ({@code mvn ... -pl MODULE test -Dtest=NAME}, the
     * conformance suites) name a module and test classes that exist; the named tests run in {@code mvn verify}
     * like every test, so what the command measures is checked on every build.
     */
    @Test
    void documentedMavenTestCommandsNameTestsThatExist() throws Exception {
        List<Path> docs = new ArrayList<>(docs());
        docs.add(ROOT.resolve("rules/SIGMA.md"));
        int found = 0;
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            for (String line : shellLines(doc)) {
                if (!line.startsWith("mvn ") || !line.contains("-Dtest=")) {
                    continue;
                }
                found++;
                List<String> words = List.of(line.split("\\s+"));
                int pl = words.indexOf("-pl");
                String module = pl < 0 ? null : words.get(pl + 1);
                String tests = words.stream().filter(w -> w.startsWith("-Dtest=")).findFirst().orElseThrow()
                        .substring("-Dtest=".length()).replace("'", "");
                for (String test : tests.split(",")) {
                    try (Stream<Path> s = Files.walk(ROOT.resolve(module == null ? "." : module).resolve("src/test"))) {
                        if (s.noneMatch(p -> p.getFileName().toString().equals(test + ".java"))) {
                            problems.add(doc.getFileName() + ": " + line + ": no test " + test + " in " + module);
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(found).as("conformance commands in docs/conformance.md and rules/SIGMA.md").isGreaterThanOrEqualTo(3);
    }
}
