package io.trailguard.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the command tree (picocli: the options, their help and the usage text come from the command classes'
 * annotations only) and runs one command line. Exit codes: 0 done, 1 failure (invalid rules, failing fixtures, an
 * AWS error), 2 usage error (unknown command or option, bad value, missing input path).
 */
public final class Commands {
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private Commands() {
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        return run(argv, out, err, System.getenv());
    }

    /** As above with the environment the {@code TRAILGUARD_*} defaults are read from. */
    public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env) {
        Cli cli = new Cli(out, err);
        try {
            return commandLine(cli, env).execute(argv);
        } finally {
            out.flush();
            err.flush();
            cli.close();
        }
    }

    /** The whole command tree bound to one invocation's streams. */
    static CommandLine commandLine(Cli cli, Map<String, String> env) {
        CommandLine cl = new CommandLine(new TrailguardCommand(cli));
        cl.addSubcommand(new DemoCommand(cli));
        cl.addSubcommand(new ReplayCommand(cli));
        cl.addSubcommand(new TestCommand(cli));
        cl.addSubcommand(new ValidateCommand(cli));
        cl.addSubcommand(new RulesCommand(cli));
        cl.addSubcommand(new FieldsCommand(cli));
        cl.addSubcommand(new RunCommand(cli));
        cl.addSubcommand(new PublishCommand(cli));
        cl.addSubcommand(new SendCommand(cli));
        cl.addSubcommand(new CompletionCommand(cli));
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(cli.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(cli.err, StandardCharsets.UTF_8), true));
        cl.setUsageHelpWidth(100);
        // "--inptu x" after "--input a" is a typo to report, not a second input path.
        cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
        cl.setDefaultValueProvider(new EnvironmentDefaults(env));
        cl.setExecutionStrategy(pr -> {
            deprecationNotes(pr, cli.err);
            return new CommandLine.RunLast().execute(pr);
        });
        cl.setExecutionExceptionHandler((e, command, pr) -> failure(e, command, cli));
        return cl;
    }

    /** One stderr line per deprecated option used, naming its replacement. */
    static void deprecationNotes(ParseResult pr, PrintStream err) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            for (OptionSpec o : p.matchedOptions()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String replacement = Deprecated.REPLACEMENTS.getOrDefault(
                        p.commandSpec().name() + " " + o.longestName(), Deprecated.REPLACEMENTS.get(o.longestName()));
                if (replacement != null) {
                    err.println("trailguard: warning: " + o.longestName() + " is deprecated and will be removed in "
                            + "the next release; use " + replacement);
                }
            }
        }
    }

    private static int failure(Exception e, CommandLine command, Cli cli) {
        if (e instanceof UsageException) {
            cli.err.println(e.getMessage());
            cli.err.println("(" + command.getCommandSpec().qualifiedName() + " --help for usage)");
            return USAGE;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        cli.err.println(command.getCommandSpec().qualifiedName() + ": failed: " + root);
        BundledRulesPreload.await();
        org.slf4j.LoggerFactory.getLogger(Commands.class).error("command failed", e);
        return FAILURE;
    }

    /** True when running inside a Flink cluster (Managed Flink, a job submitted with `flink run`): {@link ClusterContext}. */
    public static boolean inClusterContext() {
        return ClusterContext.present();
    }
}
