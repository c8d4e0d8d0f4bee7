package io.trailguard.job.cli;

import io.trailguard.job.output.LocalConsole;

import java.io.PrintStream;

/** The streams of one command-line invocation and the console id under which its sinks find them. */
public final class Cli {
    public final PrintStream out;
    public final PrintStream err;
    public final String consoleId;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.consoleId = LocalConsole.register(out, err);
    }

    void close() {
        LocalConsole.unregister(consoleId);
    }
}
