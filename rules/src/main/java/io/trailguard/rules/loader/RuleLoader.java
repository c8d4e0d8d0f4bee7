package io.trailguard.rules.loader;

import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.sigma.SigmaLoader;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.YamlNodes;

import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads rule files into a compiled {@link io.trailguard.rules.engine.RuleSet}. Files are read in the order
 * given (directories recursively, sorted by path). Every file is read and everything that was read is compiled
 * even when some item failed, so that one load reports every error of every file: a YAML error stops only its
 * own file, an item with an error is left out of its file, and compile errors come with the structural ones.
 * The rule set exists only when there was no error.
 *
 * <p>Each file is Falco or Sigma, chosen by its content: a file whose YAML documents are mappings with a
 * {@code detection}, {@code correlation} or {@code filter} section is Sigma (see {@link SigmaLoader}); anything
 * else is read as Falco (a sequence of items). Both dialects compile into the same rule set.
 */
public final class RuleLoader {
    /** The bundled packs, in load order, as classpath resources. */
    public static final String PACKS_RESOURCE_DIR = "io/trailguard/packs/";
    private static final String PACKS_INDEX = PACKS_RESOURCE_DIR + "index.txt";

    private RuleLoader() {}

    public static LoadResult load(List<RuleSource> sources, LoadOptions options) {
        RuleCollector collector = new RuleCollector();
        SigmaLoader sigma = new SigmaLoader();
        for (RuleSource s : sources) {
            try {
                List<Node> documents = YamlNodes.documents(s);
                if (SigmaLoader.isSigma(documents)) {
                    sigma.read(s, documents, collector::nextOrder, collector.diagnostics);
                } else {
                    new FalcoFileReader(s, collector).read(documents);
                }
            } catch (RuleLoadException e) {
                collector.error(e.position(), e.getMessage());
            }
        }
        RuleCompiler compiler = new RuleCompiler(collector, options, sigma);
        RuleSet compiled = compiler.compile();
        boolean failed = collector.diagnostics.stream().anyMatch(Diagnostic::isError);
        return new LoadResult(failed ? null : compiled, collector.diagnostics, sources, compiler.incidentPolicy());
    }

    /** Rule files named by paths: files as given, directories walked for *.yaml / *.yml, sorted. */
    public static List<RuleSource> sources(List<Path> paths) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "rules path does not exist");
            }
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(p)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                            .sorted()
                            .collect(Collectors.toList());
                }
                for (Path f : files) {
                    out.add(RuleSource.of(f));
                }
            } else {
                out.add(RuleSource.of(p));
            }
        }
        return out;
    }

    /** The bundled rule packs shipped in the jar (listed in {@code packs/index.txt}, in load order). */
    public static List<RuleSource> bundledPacks() {
        ClassLoader cl = RuleLoader.class.getClassLoader();
        List<RuleSource> out = new ArrayList<>();
        for (String name : readResource(cl, PACKS_INDEX).split("\n")) {
            String n = name.trim();
            if (n.isEmpty() || n.startsWith("#")) {
                continue;
            }
            out.add(new RuleSource("packs/" + n, readResource(cl, PACKS_RESOURCE_DIR + n)));
        }
        return out;
    }

    private static String readResource(ClassLoader cl, String name) {
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
