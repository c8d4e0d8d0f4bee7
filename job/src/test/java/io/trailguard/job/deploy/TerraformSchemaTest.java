package io.trailguard.job.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every resource and data source type, argument and nested block used in {@code terraform/*.tf} exists in the AWS
 * provider's schema ({@link ProviderSchema}): what {@code terraform validate} would check first, offline.
 */
class TerraformSchemaTest {
    /** Meta-arguments and meta-blocks of Terraform itself, valid in every resource. */
    private static final Set<String> META = new HashSet<>(Arrays.asList("count", "for_each", "depends_on",
            "provider", "lifecycle"));

    private static ProviderSchema schema;

    @BeforeAll
    static void load() throws Exception {
        schema = ProviderSchema.load();
    }

    @Test
    void theSchemaIsReadable() throws Exception {
        assertThat(schema.size()).as("types in @cdktf/provider-aws %s", schema.version).isGreaterThan(1000);
        ProviderSchema.Node alarm = schema.resource("aws_cloudwatch_metric_alarm");
        assertThat(alarm).isNotNull();
        assertThat(alarm.children).containsKeys("threshold", "metric_query").doesNotContainKey("etag");
        assertThat(alarm.children.get("metric_query").children).containsKeys("expression", "metric");
        assertThat(schema.resource("aws_s3_object").children).containsKeys("source_hash", "etag");
        assertThat(schema.dataSource("aws_iam_policy_document").children).containsKeys("statement");
        assertThat(schema.resource("aws_iam_policy_document")).as("a data source is no resource").isNull();
        assertThat(schema.resource("aws_no_such_thing")).isNull();
    }

    @Test
    void everyTypeArgumentAndBlockExists() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        // the root module and its sub-modules (modules/*)
        try (Stream<Path> s = Files.walk(Paths.get("..", "terraform"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tf") && !f.toString().contains("node_modules")
                    && !f.toString().contains(".terraform")).sorted().collect(Collectors.toList())) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                for (HclBody.Block top : HclBody.parse(text).blocks) {
                    ProviderSchema.Node node;
                    if (top.type.equals("resource")) {
                        node = schema.resource(top.labels.get(0));
                    } else if (top.type.equals("data")) {
                        node = schema.dataSource(top.labels.get(0));
                    } else {
                        continue;
                    }
                    String where = p.getFileName() + ": " + top.type + " " + String.join(".", top.labels);
                    if (node == null) {
                        problems.add(where + ": no such type in the provider");
                        continue;
                    }
                    checked++;
                    check(where, top.body, node, problems, true);
                }
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(problems).as("against @cdktf/provider-aws %s", schema.version).isEmpty();
    }

    private static void check(String where, HclBody body, ProviderSchema.Node node, List<String> problems,
                              boolean top) {
        for (String a : body.attributes) {
            if (top && META.contains(a)) {
                continue;
            }
            if (!node.children.containsKey(a)) {
                problems.add(where + ": no argument " + a);
            } else if (node.children.get(a) != null && !node.children.get(a).children.isEmpty()) {
                // a nested block written as an attribute: fine only for attribute-typed objects, which have no node
                problems.add(where + ": " + a + " is a block, not an argument");
            }
        }
        for (HclBody.Block b : body.blocks) {
            if (top && META.contains(b.type)) {
                continue;
            }
            String name = b.type.equals("dynamic") ? b.labels.get(0) : b.type;
            HclBody inner = b.type.equals("dynamic") ? b.body.block("content") : b.body;
            ProviderSchema.Node child = node.children.get(name);
            if (!node.children.containsKey(name) || child == null) {
                problems.add(where + ": no block " + name);
            } else if (inner == null) {
                problems.add(where + ": dynamic " + name + " without content");
            } else {
                check(where + "." + name, inner, child, problems, false);
            }
        }
    }
}
