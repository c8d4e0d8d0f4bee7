package io.trailguard.job.cli;

import io.trailguard.rules.field.FieldRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fields}: every field a rule condition or output can use, with its description (Falco's {@code --list}).
 * The descriptions are in {@value #TABLE}; FieldsCommandTest keeps the table equal to the field registry.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "fields", description = "Print every field a rule can use (NAME<TAB>DESCRIPTION), Falco's --list.")
final class FieldsCommand implements Callable<Integer> {
    static final String TABLE = "io/trailguard/job/cli/fields.tsv";
    private final Cli cli;

    @Option(names = {"-p", "--prefix"}, paramLabel = "PREFIX", description = "only fields starting with PREFIX "
            + "(e.g. ct.user)")
    String prefix = "";

    @Option(names = "--names", description = "names only")
    boolean namesOnly;

    FieldsCommand(Cli cli) {
        this.cli = cli;
    }

    static Map<String, String> descriptions() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = FieldsCommand.class.getClassLoader().getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("the field table is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    m.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
        return m;
    }

    @Override
    public Integer call() throws IOException {
        Map<String, String> d = descriptions();
        for (String name : FieldRegistry.names()) {
            if (name.startsWith(prefix)) {
                cli.out.println(namesOnly ? name : name + "\t" + d.getOrDefault(name, ""));
            }
        }
        return 0;
    }
}
