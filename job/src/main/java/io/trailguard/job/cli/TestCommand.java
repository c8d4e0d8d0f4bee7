package io.trailguard.job.cli;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.fixtures.FixtureFile;
import io.trailguard.rules.fixtures.FixtureReport;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Runs rule fixtures and prints a pass/fail table; exit 1 on any failure (or when there is no case). Without
 * arguments: the bundled packs against their bundled fixtures. {@code --rules}: those files after the bundled packs,
 * against the fixtures found beside them (or {@code --fixtures}). Fixture files are YAML/JSON lists of cases with
 * 'rule' and 'expect' (rules/FIXTURES.md).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "test", sortOptions = false,
        description = "Run rule fixtures: a pass/fail table on stdout, exit 1 on any failure. Without options: the "
                + "bundled packs against their bundled fixtures.")
final class TestCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    RuleOptions rules = new RuleOptions();

    @Option(names = {"-f", "--fixtures"}, arity = "1..*", split = ",", paramLabel = "PATH",
            description = "fixture files or directories (default: beside --rules, else the bundled fixtures; "
                    + "env TRAILGUARD_FIXTURES)")
    List<String> fixtures = new ArrayList<>();

    @Option(names = "--rule", paramLabel = "NAME", description = "only the cases of rules with this name; * matches "
            + "any characters (repeatable)")
    List<String> only = new ArrayList<>();

    @Option(names = "--min-fixtures", paramLabel = "N", description = "fail each tested rule with fewer than N "
            + "positive or fewer than N negative cases")
    int minFixtures;

    @Option(names = "--junit-xml", paramLabel = "PATH", description = "also write the results as JUnit XML "
            + "(one testsuite per fixture file, one testcase per case)")
    Path junitXml;

    @Option(names = "--failures-only", description = "print only the failing cases and the summary")
    boolean failuresOnly;

    TestCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (minFixtures < 0) {
            throw new UsageException("test: --min-fixtures must be 0 or more");
        }
        RuleFiles.Sources sources = RuleFiles.sources("test", rules.selection(), cli.err);
        LoadResult loaded = RuleFiles.load(sources.all, MatchingMode.ALL);
        List<FixtureResult> results;
        try {
            List<FixtureFile> files = new ArrayList<>();
            List<String> fixturePaths = !fixtures.isEmpty() ? fixtures
                    : rules.paths.stream().filter(p -> !Stdin.DASH.equals(p)).collect(Collectors.toList());
            if (fixturePaths.isEmpty()) {
                files.addAll(FixtureRunner.bundledFixtures());
            } else {
                List<Path> paths = new ArrayList<>();
                fixturePaths.forEach(p -> paths.add(Paths.get(p)));
                for (Path f : FixtureRunner.discover(paths)) {
                    files.add(FixtureFile.of(f));
                }
                if (files.isEmpty()) {
                    throw new UsageException("test: no fixture files (lists of cases with 'rule' and 'expect') in "
                            + String.join(" ", fixturePaths));
                }
            }
            results = FixtureRunner.runFiles(sources.all, files, LoadOptions.defaults());
        } catch (NoSuchFileException e) {
            throw new UsageException("test: path does not exist: " + e.getFile());
        } catch (IllegalArgumentException e) {
            cli.err.println("test: " + e.getMessage());
            return Commands.FAILURE;
        }
        if (!only.isEmpty()) {
            results = results.stream().filter(r -> selected(r.rule())).collect(Collectors.toList());
            if (results.isEmpty()) {
                cli.err.println("test: no case tests a rule named " + String.join(" or ", only));
            }
        }
        int code = FixtureReport.print(results, cli.out, !failuresOnly);
        List<MinFixtures.Shortfall> shortfalls = new ArrayList<>();
        if (minFixtures > 0) {
            shortfalls = MinFixtures.check(tested(loaded, sources), FixtureRunner.coverage(results), minFixtures);
            for (MinFixtures.Shortfall s : shortfalls) {
                cli.out.println("FAIL  " + s.message());
            }
            if (!shortfalls.isEmpty()) {
                cli.out.println(shortfalls.size() + " rule(s) with fewer than " + minFixtures
                        + " positive or negative case(s)");
                code = Commands.FAILURE;
            }
        }
        if (junitXml != null) {
            JUnitXml.write(junitXml, results, shortfalls);
        }
        return code;
    }

    private boolean selected(String rule) {
        for (String p : only) {
            if (RuleSelection.nameMatches(p, rule)) {
                return true;
            }
        }
        return false;
    }

    /** The rules the fixtures are for: those of the user's files, else every loaded rule; narrowed by --rule. */
    private List<String> tested(LoadResult loaded, RuleFiles.Sources sources) {
        Set<String> names = new LinkedHashSet<>();
        if (loaded.ok()) {
            boolean own = !sources.user.isEmpty();
            for (Rule r : loaded.ruleSet().rules()) {
                if ((!own || !r.origin().startsWith(RuleFiles.BUNDLED_PREFIX)) && (only.isEmpty() || selected(r.name()))
                        && !r.origin().startsWith(RuleSelection.OVERRIDES_NAME)) {
                    names.add(r.name());
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** {@code --min-fixtures}: rules with too few positive or negative cases. */
    static final class MinFixtures {
        static final class Shortfall {
            final String rule;
            final int positive;
            final int negative;
            final int min;

            Shortfall(String rule, int positive, int negative, int min) {
                this.rule = rule;
                this.positive = positive;
                this.negative = negative;
                this.min = min;
            }

            String message() {
                return "rule '" + rule + "' has " + positive + " positive and " + negative
                        + " negative case(s); --min-fixtures " + min + " needs " + min + " of each";
            }
        }

        static List<Shortfall> check(List<String> rules, Map<String, int[]> coverage, int min) {
            List<Shortfall> out = new ArrayList<>();
            for (String r : rules) {
                int[] c = coverage.getOrDefault(r, new int[2]);
                if (c[0] < min || c[1] < min) {
                    out.add(new Shortfall(r, c[0], c[1], min));
                }
            }
            return out;
        }
    }
}
