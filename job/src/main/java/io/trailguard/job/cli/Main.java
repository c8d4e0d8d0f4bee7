package io.trailguard.job.cli;


import java.io.PrintStream;

/**
 * Entry point of {@code trailguard.jar} and {@code bin/trailguard}, locally and as the Managed Flink main class. The
 * commands and their options are in {@code cli} ({@code trailguard --help}, docs/cli.md).
 * On Managed Flink (no arguments, inside a cluster) it runs {@code run} configured by the application properties.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (ClusterContext.calledByLauncher(Main.class)) {
            ClusterContext.launchedByJava();
            BundledRulesPreload.startFor(args, System.getenv());
        }
        boolean inCluster = ClusterContext.present();
        int code = run(args.length == 0 && inCluster ? new String[] {"run"} : args, System.out, System.err);
        System.out.flush();
        if (inCluster) {
            if (code != 0) {
                throw new IllegalStateException("trailguard failed with exit code " + code + " (see the log)");
            }
            return;
        }
        // The MiniCluster leaves non-daemon threads behind: end the process explicitly.
        System.exit(code);
    }

    /** Runs one command line with the given streams; returns the exit code. Used by tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Commands.run(args, out, err);
    }
}
