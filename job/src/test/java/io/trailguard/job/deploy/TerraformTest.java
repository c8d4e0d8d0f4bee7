package io.trailguard.job.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import io.trailguard.job.config.ConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Terraform module without providers (terraform validate needs them): every file parses as HCL,
 * every reference resolves to a declared variable, local, resource or data source, the application's property
 * groups use only keys the job reads (and set the keys `run` requires), and IAM policies are least privilege:
 * no "*" action, and a "*" resource only with a comment explaining the API has no resource-level permissions.
 */
class TerraformTest {
    private static final Path DIR = Paths.get("..", "terraform");
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        assertThat(DIR).isDirectory();
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tf")).sorted().collect(Collectors.toList())) {
                FILES.put(p.getFileName().toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            }
        }
        assertThat(FILES.keySet()).contains("versions.tf", "variables.tf", "outputs.tf");
    }

    @Test
    void everyFileParses() throws Exception {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Map<String, Object> parsed = new HCLParser().parse(f.getValue(), true);
            assertThat(parsed).as(f.getKey()).isNotNull();
        }
    }

    @Test
    void everyReferenceResolves() {
        String all = String.join("\n", FILES.values());
        Set<String> variables = declared(all, "variable \"([a-z0-9_]+)\"");
        Set<String> resources = declared(all, "resource \"([a-z0-9_]+)\" \"([a-z0-9_]+)\"");
        Set<String> data = declared(all, "data \"([a-z0-9_]+)\" \"([a-z0-9_]+)\"");
        Set<String> locals = new HashSet<>();
        Matcher lb = Pattern.compile("(?s)locals \\{(.*?)\\n\\}").matcher(all);
        while (lb.find()) {
            Matcher k = Pattern.compile("(?m)^  ([a-z0-9_]+)\\s+=").matcher(lb.group(1));
            while (k.find()) {
                locals.add(k.group(1));
            }
        }
        String code = all.replaceAll("(?m)#.*$", "");
        List<String> missing = new ArrayList<>();
        Matcher v = Pattern.compile("\\bvar\\.([a-z0-9_]+)").matcher(code);
        while (v.find()) {
            if (!variables.contains(v.group(1))) {
                missing.add("var." + v.group(1));
            }
        }
        Matcher l = Pattern.compile("\\blocal\\.([a-z0-9_]+)").matcher(code);
        while (l.find()) {
            if (!locals.contains(l.group(1))) {
                missing.add("local." + l.group(1));
            }
        }
        Matcher d = Pattern.compile("\\bdata\\.([a-z0-9_]+)\\.([a-z0-9_]+)").matcher(code);
        while (d.find()) {
            if (!data.contains(d.group(1) + "." + d.group(2))) {
                missing.add("data." + d.group(1) + "." + d.group(2));
            }
        }
        Matcher r = Pattern.compile("(?<![.\\w\"])(aws_[a-z0-9_]+)\\.([a-z0-9_]+)\\b").matcher(code);
        while (r.find()) {
            if (!resources.contains(r.group(1) + "." + r.group(2))) {
                missing.add(r.group(1) + "." + r.group(2));
            }
        }
        assertThat(missing).as("undeclared references").isEmpty();
        // and nothing declared is left unused
        for (String var : variables) {
            assertThat(code).as("variable %s is used", var).contains("var." + var);
        }
    }

    @Test
    void propertyGroupKeysAreKeysTheJobReads() {
        String flink = FILES.get("flink.tf");
        Matcher m = Pattern.compile("(?s)property_map = \\{(.*?)\\n\\s*\\}").matcher(flink);
        assertThat(m.find()).isTrue();
        Set<String> keys = new TreeSet<>();
        Matcher k = Pattern.compile("\"([a-z0-9_.]+)\"\\s*=").matcher(m.group(1));
        while (k.find()) {
            keys.add(k.group(1));
        }
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            assertThat(ConfigKey.of(key)).as("Terraform sets %s, which the job must read", key).isNotNull();
        }
        assertThat(keys).as("keys `run` needs").contains(ConfigKey.EVENTS_STREAM.key(), ConfigKey.CONTROL_STREAM.key(),
                ConfigKey.AWS_REGION.key(), ConfigKey.OUTPUTS.key());
        assertThat(flink).contains("property_group_id = \"trailguard\"").contains("runtime_environment    = \"FLINK-1_20\"");
    }

    @Test
    void iamPoliciesAreLeastPrivilege() {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            String[] lines = f.getValue().split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                Matcher actions = Pattern.compile("actions\\s*=\\s*\\[(.*)\\]").matcher(line);
                if (actions.find()) {
                    for (String a : actions.group(1).split(",")) {
                        String action = a.trim().replace("\"", "");
                        assertThat(action).as("%s:%d", f.getKey(), i + 1).isNotEqualTo("*").doesNotEndWith(":*");
                    }
                }
                if (line.matches("\\s*resources\\s*=\\s*\\[\\s*\"\\*\"\\s*\\]\\s*")) {
                    String before = String.join("\n", List.of(lines).subList(Math.max(0, i - 3), i));
                    assertThat(before).as("%s:%d: a \"*\" resource must say why", f.getKey(), i + 1)
                            .contains("no resource-level permissions");
                }
            }
        }
    }

    private static Set<String> declared(String text, String regex) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.groupCount() == 1 ? m.group(1) : m.group(1) + "." + m.group(2));
        }
        return out;
    }
}
