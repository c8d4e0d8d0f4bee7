package io.trailguard.job.cli;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * Loads the rule files after the bundled packs; prints each error and warning of the user's files as
 * {@code file:line:col: message} on stderr; exit 1 when there is an error, else 0 with a summary on stdout.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "validate", sortOptions = false,
        description = "Check rule files (loaded after the bundled packs, so appends and overrides of bundled rules "
                + "resolve): errors and warnings as file:line:col: message on stderr, exit 1 on an error.")
final class ValidateCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    RuleOptions rules = new RuleOptions();

    ValidateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (rules.paths.isEmpty()) {
            throw new UsageException("validate: --rules PATH... is required");
        }
        RuleFiles.Sources s = RuleFiles.sources("validate", rules.selection(), cli.err);
        LoadResult r = RuleFiles.load(s.all, MatchingMode.ALL);
        RuleFiles.print(r, cli.err);
        long warnings = RuleFiles.userWarnings(r);
        if (!r.ok()) {
            cli.err.println("validate: " + r.errors().size() + " error(s), " + warnings + " warning(s) in "
                    + s.user.size() + " file(s)");
            return Commands.FAILURE;
        }
        long own = r.ruleSet().rules().stream().filter(rule -> !rule.origin().startsWith(RuleFiles.BUNDLED_PREFIX)
                && !rule.origin().startsWith(RuleSelection.OVERRIDES_NAME)).count();
        cli.out.println("ok: " + own + " rules in " + s.user.size() + " file(s)"
                + (s.bundled ? " after the bundled packs (" + r.ruleSet().size() + " enabled rules in all)" : "")
                + (warnings == 0 ? "" : ", " + warnings + " warning(s)"));
        return 0;
    }
}
