package io.trailguard.job.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code completion bash|zsh}: the shell completion script of the whole command tree (picocli's AutoComplete; the
 * script serves zsh through bashcompinit).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "completion", description = {"Print a shell completion script.",
    "bash: source <(trailguard completion bash)   zsh: source <(trailguard completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = Shells.class)
    String shell;

    CompletionCommand(Cli cli) {
        this.cli = cli;
    }

    static final class Shells extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Shells() {
            super(java.util.List.of("bash", "zsh"));
        }
    }

    @Override
    public Integer call() throws UsageException {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new UsageException("completion: unknown shell '" + shell + "' (bash or zsh)");
        }
        String script = AutoComplete.bash("trailguard", spec.root().commandLine());
        if (shell.equals("zsh")) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        cli.out.print(script);
        return 0;
    }
}
