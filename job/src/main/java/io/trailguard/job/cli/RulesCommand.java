package io.trailguard.job.cli;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.loader.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rules list}: the enabled rules as loaded (Falco's {@code -L}), one per line, in load order. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "rules", description = "Inspect the loaded rules.", subcommands = RulesCommand.ListRules.class)
final class RulesCommand implements Callable<Integer> {
    final Cli cli;

    RulesCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws UsageException {
        throw new UsageException("rules: a subcommand is required: rules list");
    }

    @Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "list", sortOptions = false,
            description = {"Print the enabled rules (the bundled packs, then --rules files, minus the rules turned "
                    + "off), one per line: NAME<TAB>PRIORITY<TAB>SOURCE<TAB>TAGS<TAB>ORIGIN, in load order."})
    static final class ListRules implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        RulesCommand parent;

        @Mixin
        RuleOptions rules = new RuleOptions();

        @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "only rules with this tag (repeatable: any)")
        List<String> tags = new ArrayList<>();

        @Option(names = {"-s", "--source"}, paramLabel = "SOURCE",
                description = "only rules from files whose path contains SOURCE (e.g. packs/iam.yaml, or a --rules "
                        + "file)")
        String source;

        @Option(names = "--count", description = "print only the number of rules")
        boolean count;

        @Override
        public Integer call() throws Exception {
            Cli cli = parent.cli;
            RuleFiles.Sources s = RuleFiles.sources("rules list", rules.selection(), cli.err);
            LoadResult r = RuleFiles.load(s.all, MatchingMode.ALL);
            RuleFiles.print(r, cli.err);
            if (!r.ok()) {
                cli.err.println("rules list: invalid rules: " + r.errors().size() + " error(s)");
                return Commands.FAILURE;
            }
            int n = 0;
            for (Rule rule : r.ruleSet().rules()) {
                if (!tags.isEmpty() && rule.tags().stream().noneMatch(tags::contains)) {
                    continue;
                }
                if (source != null && !rule.origin().contains(source)) {
                    continue;
                }
                n++;
                if (!count) {
                    cli.out.println(rule.name() + "\t" + rule.priority() + "\t" + rule.source() + "\t"
                            + String.join(",", rule.tags()) + "\t" + rule.origin());
                }
            }
            if (count) {
                cli.out.println(n);
            }
            return 0;
        }
    }
}
