package io.trailguard.job.cli;

import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dispatches a command line to its command and maps failures to exit codes (1 failure, 2 usage). */
public final class Commands {
    static final String USAGE = String.join("\n",
            "usage: java -jar trailguard.jar [COMMAND [OPTIONS]]",
            "",
            "  (no command)   replay the bundled sample events through the bundled rules; alerts on stdout",
            "  replay --input PATH... [--rules PATH...] [--matching all|first] [--output SPEC...]",
            "         [--aws-region R] [--aws-endpoint URL]",
            "                 run files or directories of CloudTrail events through the job (bounded MiniCluster);",
            "                 one alert JSON line per alert on stdout, logs and summary on stderr",
            "  test [--rules PATH...] [--fixtures PATH...] [--failures-only]",
            "                 run rule fixtures (default: the bundled packs and their fixtures); pass/fail table,",
            "                 exit 1 on any failure",
            "  validate --rules PATH...",
            "                 check rule files; errors as file:line:col: message, exit 1 when there is one",
            "  run [--config FILE] [--events-stream NAME] [--control-stream NAME] [--aws-region R]",
            "      [--aws-endpoint URL] [--output stdout|file:PATH|securityhub|cloudwatch:GROUP ...]",
            "      [--rules PATH...] [--matching all|first] [--fresh]",
            "      [--set KEY=VALUE ...]",
            "                 the continuous job on Kinesis (local MiniCluster with web UI, or Managed Flink);",
            "                 with checkpoint.dir it resumes from the newest complete checkpoint or savepoint there",
            "                 (--fresh: empty state) and a stop (SIGTERM, Ctrl-C) takes a savepoint first;",
            "                 configuration keys: job/CONFIGURATION.md",
            "  publish --rules PATH... --stream NAME [--aws-region R] [--aws-endpoint URL] [--version V]",
            "      [--sign-key hmac:env:VAR|hmac:file:PATH|kms:KEY_ID [--sign-alg ALG] [--kms-endpoint URL]]",
            "                 validate rule files and put them on the control stream as one bundle (signed with",
            "                 --sign-key; the job checks it with bundles.verify_key); rules without an enabled",
            "                 rule are refused",
            "  publish --allow-empty [--rules PATH...] --stream NAME ...",
            "                 disable detection on purpose: a bundle marked intentionally empty",
            "  send --stream NAME --input PATH... [--aws-region R] [--aws-endpoint URL] [--raw]",
            "                 put CloudTrail events into a stream as EventBridge envelopes (--raw: unchanged)",
            "",
            "exit codes: 0 done, 1 invalid rules or failure, 2 usage error or missing input");

    private Commands() {
    }

    private static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("replay", new ReplayCommand());
        m.put("validate", new ValidateCommand());
        m.put("run", new RunCommand());
        m.put("publish", new PublishCommand());
        m.put("send", new SendCommand());
        m.put("test", new TestCommand());
        return m;
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Cli cli = new Cli(out, err);
        try {
            if (argv.length == 0) {
                return new DemoCommand().run(Args.parse("trailguard", argv, 0), cli);
            }
            String name = argv[0];
            if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            Command c = commands().get(name);
            if (c == null) {
                err.println("trailguard: unknown command '" + name + "'");
                err.println(USAGE);
                return 2;
            }
            return c.run(Args.parse(name, argv, 1), cli);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println("(java -jar trailguard.jar --help for usage)");
            return 2;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("trailguard: " + (argv.length == 0 ? "" : argv[0] + ": ") + "failed: " + root);
            org.slf4j.LoggerFactory.getLogger(Commands.class).error("command failed", e);
            return 1;
        } finally {
            out.flush();
            err.flush();
            cli.close();
        }
    }

    /** True when running inside a Flink cluster (Managed Flink, a job submitted with `flink run`). */
    public static boolean inClusterContext() {
        return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
    }
}
