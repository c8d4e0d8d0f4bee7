package io.trailguard.job.cli;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.source.RuleSource;

import java.util.List;

/**
 * {@code validate --rules PATH...}: loads the rule files; prints each error and warning as
 * {@code file:line:col: message} on stderr; exit 1 when there is an error, else 0 with a summary on stdout.
 */
final class ValidateCommand implements Command {
    @Override
    public int run(Args args, Cli cli) throws Exception {
        args.allow("rules");
        List<String> paths = args.required("rules", "PATH...");
        List<RuleSource> sources = RuleFiles.sources("validate", paths);
        LoadResult r = RuleFiles.load(sources, MatchingMode.ALL);
        RuleFiles.print(r, cli.err);
        if (!r.ok()) {
            cli.err.println("validate: " + r.errors().size() + " error(s), " + r.warnings().size() + " warning(s) in "
                    + sources.size() + " file(s)");
            return 1;
        }
        cli.out.println("ok: " + r.ruleSet().size() + " rules in " + sources.size() + " file(s)"
                + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)"));
        return 0;
    }
}
