package io.trailguard.job.cli;

/** One subcommand of the command line. */
interface Command {
    /** Runs the command; returns the exit code. */
    int run(Args args, Cli cli) throws Exception;
}
