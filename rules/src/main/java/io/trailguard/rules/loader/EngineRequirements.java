package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;
import io.trailguard.rules.source.RuleLoadException;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code required_engine_version} and {@code required_plugin_versions} items of a Falco file: an
 * incompatible requirement stops the file; a plugin Trailguard does not implement is a warning.
 */
final class EngineRequirements {
    private final FalcoYaml yaml;

    EngineRequirements(FalcoYaml yaml) {
        this.yaml = yaml;
    }

    void requiredEngineVersion(Node n) {
        String v = yaml.string(n, "required_engine_version");
        int[] required;
        try {
            required = Versions.parse(v, true);
        } catch (IllegalArgumentException ex) {
            throw new RuleLoadException(yaml.pos(n), "Unable to parse engine version '" + v + "' as a semver string. "
                    + "Expected \"x.y.z\" semver format.");
        }
        if (!Versions.compatible(Versions.parse(Versions.ENGINE, false), required)) {
            throw new RuleLoadException(yaml.pos(n), "Rules require engine version " + v + ", but engine version is "
                    + Versions.ENGINE);
        }
    }

    void requiredPluginVersions(Node n) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(yaml.pos(n), "required_plugin_versions must be a sequence");
        }
        for (Node req : ((SequenceNode) n).getValue()) {
            if (!(req instanceof MappingNode)) {
                throw new RuleLoadException(yaml.pos(req), "required_plugin_versions items must be mappings");
            }
            Map<String, Node> r = yaml.entries((MappingNode) req);
            List<String[]> candidates = new ArrayList<>();
            candidates.add(pluginRequirement(req, r));
            Node alternatives = r.get("alternatives");
            if (alternatives instanceof SequenceNode) {
                for (Node alt : ((SequenceNode) alternatives).getValue()) {
                    if (alt instanceof MappingNode) {
                        candidates.add(pluginRequirement(alt, yaml.entries((MappingNode) alt)));
                    }
                }
            }
            checkPlugin(yaml.pos(req), candidates);
        }
    }

    private String[] pluginRequirement(Node where, Map<String, Node> r) {
        if (!r.containsKey("name") || !r.containsKey("version")) {
            throw new RuleLoadException(yaml.pos(where), "required_plugin_versions entries need 'name' and 'version'");
        }
        return new String[] {yaml.string(r.get("name"), "name"),
            yaml.string(r.get("version"), "version")};
    }

    private void checkPlugin(Position p, List<String[]> candidates) {
        String firstError = null;
        boolean anyKnown = false;
        for (String[] c : candidates) {
            String have = Versions.plugin(c[0]);
            if (have == null) {
                continue;
            }
            anyKnown = true;
            int[] required;
            try {
                required = Versions.parse(c[1], false);
            } catch (IllegalArgumentException ex) {
                throw new RuleLoadException(p, "Plugin version string '" + c[1] + "' is not a valid version");
            }
            if (Versions.compatible(Versions.parse(have, false), required)) {
                return;
            }
            if (firstError == null) {
                firstError = "Plugin '" + c[0] + "' version '" + have + "' is not compatible with required plugin "
                        + "version '" + c[1] + "'";
            }
        }
        if (firstError != null) {
            throw new RuleLoadException(p, firstError);
        }
        if (!anyKnown) {
            yaml.warn(p, "required plugin '" + candidates.get(0)[0] + "' is not part of Trailguard (it implements "
                    + "the cloudtrail and json plugins); rules of other sources are skipped");
        }
    }
}
