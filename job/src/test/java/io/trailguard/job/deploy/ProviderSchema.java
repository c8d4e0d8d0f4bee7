package io.trailguard.job.deploy;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The AWS provider's schema as generated into the npm package {@code @cdktf/provider-aws}
 * ({@code terraform/schema-check/node_modules}, installed by {@code .ci/run}): per resource and data source type,
 * its arguments and nested blocks, read from each type's {@code synthesizeAttributes()} and its blocks'
 * {@code xToTerraform(struct)} functions. Offline, so it stands in for {@code terraform validate}, which needs the
 * provider binary. Tests skip when the package is missing, unless {@code CI=true}, when they fail.
 */
final class ProviderSchema {
    static final Path PACKAGE = Paths.get("..", "terraform", "schema-check", "node_modules", "@cdktf", "provider-aws");

    private static final Pattern TYPE = Pattern.compile("\\.tfResourceType = \"([a-z0-9_]+)\"");
    private static final Pattern SYNTH = Pattern.compile("(?s)synthesizeAttributes\\(\\) \\{\\s*return \\{(.*?)\\n\\s*\\};");
    private static final Pattern FUNCTION = Pattern.compile(
            "\\nfunction ([A-Za-z0-9]+ToTerraform)\\(struct\\) \\{(?:\\n(?!function )[^\\n]*)*?\\n    return \\{"
                    + "((?:\\n(?!function )[^\\n]*)*?)\\n    \\};\\n\\}");
    private static final Pattern ENTRY = Pattern.compile("(?m)^\\s*([a-z0-9_]+): (.*?),?$");
    private static final Pattern NESTED = Pattern.compile("(?<![.\\w])([a-z][A-Za-z0-9]*ToTerraform)\\b");

    // FUNCTION stays within one function: a function whose return is not a multi-line object (an empty {}) must not
    // extend the match into the next function and hide its name.

    /** Arguments of one schema node: name -> the node of its nested block, or null for a plain argument. */
    static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
    }

    final String version;
    private final Map<String, Node> resources = new HashMap<>();
    private final Map<String, Node> dataSources = new HashMap<>();

    private ProviderSchema(String version) {
        this.version = version;
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
        ProviderSchema schema = new ProviderSchema(v.find() ? v.group(1) : "?");
        try (Stream<Path> dirs = Files.list(PACKAGE.resolve("lib"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path index = dir.resolve("index.js");
                if (Files.isRegularFile(index)) {
                    schema.read(dir.getFileName().toString(), new String(Files.readAllBytes(index), StandardCharsets.UTF_8));
                }
            }
        }
        return schema;
    }

    private void read(String dir, String js) {
        Matcher t = TYPE.matcher(js);
        Matcher s = SYNTH.matcher(js);
        if (!t.find() || !s.find()) {
            return;
        }
        Map<String, String> functions = new HashMap<>();
        Matcher f = FUNCTION.matcher(js);
        while (f.find()) {
            functions.put(f.group(1), f.group(2));
        }
        Node root = node(s.group(1), functions, new HashMap<>());
        (dir.startsWith("data-aws-") ? dataSources : resources).put(t.group(1), root);
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
        return resources.get(type);
    }

    /** The node of data source type {@code type}, or null. */
    Node dataSource(String type) {
        return dataSources.get(type);
    }

    int size() {
        return resources.size() + dataSources.size();
    }
}
