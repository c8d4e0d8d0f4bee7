package io.trailguard.job.cli;

import io.trailguard.rules.fixtures.FixtureFile;
import io.trailguard.rules.fixtures.FixtureReport;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.source.RuleSource;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code test [--rules PATH...] [--fixtures PATH...] [--failures-only]}: runs rule fixtures and prints a pass/fail
 * table; exit 1 on any failure (or when there is no case). Without arguments: the bundled packs against their
 * bundled fixtures. {@code --fixtures} alone: the bundled packs against those fixtures. {@code --rules} alone: those
 * rules against the fixtures found beside them (fixture files are YAML/JSON lists of cases with 'rule' and
 * 'expect', see rules/FIXTURES.md).
 */
final class TestCommand implements Command {
    @Override
    public int run(Args args, Cli cli) throws Exception {
        args.allow("rules", "fixtures", "failures-only");
        boolean verbose = !args.flag("failures-only");
        List<String> rulePaths = args.values("rules");
        List<String> fixturePaths = args.values("fixtures");
        List<FixtureResult> results;
        try {
            if (rulePaths.isEmpty() && fixturePaths.isEmpty()) {
                results = FixtureRunner.runBundled();
            } else {
                List<RuleSource> rules = RuleFiles.sources("test", rulePaths);
                List<Path> fixtures = new ArrayList<>();
                for (String p : fixturePaths.isEmpty() ? rulePaths : fixturePaths) {
                    fixtures.add(Paths.get(p));
                }
                List<FixtureFile> files = new ArrayList<>();
                for (Path f : FixtureRunner.discover(fixtures)) {
                    files.add(FixtureFile.of(f));
                }
                if (files.isEmpty()) {
                    throw new UsageException("test: no fixture files (lists of cases with 'rule' and 'expect') in "
                            + String.join(" ", fixturePaths.isEmpty() ? rulePaths : fixturePaths));
                }
                results = FixtureRunner.runFiles(rules, files, LoadOptions.defaults());
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("test: path does not exist: " + e.getFile());
        } catch (IllegalArgumentException e) {
            cli.err.println("test: " + e.getMessage());
            return 1;
        }
        return FixtureReport.print(results, cli.out, verbose);
    }
}
