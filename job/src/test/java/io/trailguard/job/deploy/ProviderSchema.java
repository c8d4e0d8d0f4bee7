package io.trailguard.job.deploy;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The AWS provider's schema as generated into the npm package {@code @cdktf/provider-aws}
 * ({@code terraform/schema-check/node_modules}, installed by {@code .ci/run}): per resource and data source type,
 * its arguments and nested blocks, read from each type's {@code synthesizeAttributes()} and its blocks'
 * {@code xToTerraform(struct)} functions. Offline, so it stands in for {@code terraform validate}, which needs the
 * provider binary. Tests skip when the package is missing, unless {@code CI=true}, when they fail.
 *
 * <p>A type is parsed the first time it is asked for, from {@code lib/<dir>/index.js}, where {@code <dir>} is the
 * type without its {@code aws_} prefix and with dashes for underscores ({@code data-aws-} before a data source's):
 * the package holds about 2,000 types in 165 MB and the project's Terraform uses a few dozen of them. A type whose
 * file declares another {@code tfResourceType} than the one asked for is treated as missing.
 */
final class ProviderSchema {
    static final Path PACKAGE = Paths.get("..", "terraform", "schema-check", "node_modules", "@cdktf", "provider-aws");

    private static final Pattern TYPE = Pattern.compile("\\.tfResourceType = \"([a-z0-9_]+)\"");
    private static final Pattern SYNTH = Pattern.compile("(?s)synthesizeAttributes\\(\\) \\{\\s*return \\{(.*?)\\n\\s*\\};");
    // FUNCTION stays within one function: a function whose return is not a multi-line object (an empty {}) must not
    // extend the match into the next function and hide its name.
    private static final Pattern FUNCTION = Pattern.compile(
            "\\nfunction ([A-Za-z0-9]+ToTerraform)\\(struct\\) \\{(?:\\n(?!function )[^\\n]*)*?\\n    return \\{"
                    + "((?:\\n(?!function )[^\\n]*)*?)\\n    \\};\\n\\}");
    private static final Pattern ENTRY = Pattern.compile("(?m)^\\s*([a-z0-9_]+): (.*?),?$");
    private static final Pattern NESTED = Pattern.compile("(?<![.\\w])([a-z][A-Za-z0-9]*ToTerraform)\\b");

    /** Arguments of one schema node: name -> the node of its nested block, or null for a plain argument. */
    static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
    }

    final String version;
    private final Path lib;
    private final Map<String, Optional<Node>> parsed = new HashMap<>();

    private ProviderSchema(String version, Path lib) {
        this.version = version;
        this.lib = lib;
    }

    /** Loads the schema, skipping (or failing under CI) when the package is not installed. */
    static ProviderSchema load() throws IOException {
        boolean required = "true".equals(System.getenv("CI"));
        if (!Files.isDirectory(PACKAGE.resolve("lib"))) {
            String why = "@cdktf/provider-aws is not installed in " + PACKAGE.toAbsolutePath().normalize()
                    + " (npm ci --prefix terraform/schema-check)";
            if (required) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        String pkg = new String(Files.readAllBytes(PACKAGE.resolve("package.json")), StandardCharsets.UTF_8);
        Matcher v = Pattern.compile("\"version\": \"([^\"]+)\"").matcher(pkg);
        return new ProviderSchema(v.find() ? v.group(1) : "?", PACKAGE.resolve("lib"));
    }

    private Node type(String dir, String type) {
        if (!type.startsWith("aws_")) {
            return null;
        }
        return parsed.computeIfAbsent(dir, d -> Optional.ofNullable(read(lib.resolve(d).resolve("index.js"), type)))
                .orElse(null);
    }

    private static Node read(Path index, String type) {
        if (!Files.isRegularFile(index)) {
            return null;
        }
        String js;
        try {
            js = new String(Files.readAllBytes(index), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher t = TYPE.matcher(js);
        Matcher s = SYNTH.matcher(js);
        if (!t.find() || !t.group(1).equals(type) || !s.find()) {
            return null;
        }
        Map<String, String> functions = new HashMap<>();
        Matcher f = FUNCTION.matcher(js);
        while (f.find()) {
            functions.put(f.group(1), f.group(2));
        }
        return node(s.group(1), functions, new HashMap<>());
    }

    private static String dir(String type) {
        return type.substring("aws_".length()).replace('_', '-');
    }

    private static Node node(String body, Map<String, String> functions, Map<String, Node> built) {
        Node n = new Node();
        Matcher e = ENTRY.matcher(body);
        while (e.find()) {
            Matcher nested = NESTED.matcher(e.group(2));
            Node child = null;
            if (nested.find() && functions.containsKey(nested.group(1))) {
                String fn = nested.group(1);
                child = built.get(fn);
                if (child == null) {
                    child = new Node();
                    built.put(fn, child);
                    child.children.putAll(node(functions.get(fn), functions, built).children);
                }
            }
            n.children.put(e.group(1), child);
        }
        return n;
    }

    /** The node of resource type {@code type}, or null when the provider has no such resource. */
    Node resource(String type) {
        return type(type.startsWith("aws_") ? dir(type) : "", type);
    }

    /** The node of data source type {@code type}, or null. */
    Node dataSource(String type) {
        return type(type.startsWith("aws_") ? "data-aws-" + dir(type) : "", type);
    }

    /** How many resource and data source types the package holds (its type directories, none parsed). */
    int size() throws IOException {
        try (Stream<Path> dirs = Files.list(lib)) {
            return (int) dirs.filter(d -> Files.isRegularFile(d.resolve("index.js"))).count();
        }
    }
}
