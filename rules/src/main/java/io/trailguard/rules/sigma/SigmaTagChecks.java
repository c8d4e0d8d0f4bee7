package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * pySigma's tag validators ({@code sigma/validators/core/tags.py}): tag format, known namespaces, ATT&CK, TLP, CVE,
 * CAR, detection and STP tags, and tags written twice.
 *
 * <p>ATT&CK tags are checked against the tactic names and the forms of ATT&CK identifiers (techniques and
 * sub-techniques, groups, software, data sources, mitigations); pySigma checks the identifiers against the ATT&CK
 * catalogue it downloads at run time, so a well-formed identifier that ATT&CK does not define passes here (the
 * check runs offline). The tactic names are those of ATT&CK before and after v18 ({@code defense-evasion}, and
 * {@code stealth} and {@code defense-impairment}). D3FEND tags are not checked (pySigma needs the D3FEND
 * catalogue for them).
 */
final class SigmaTagChecks {
    private static final Pattern FORMAT = Pattern.compile("^[a-z0-9\\-_]+\\.[a-z0-9\\-_.]+$");
    private static final Set<String> NAMESPACES = Set.of("attack", "car", "cve", "d3fend", "detection", "stp", "tlp");
    private static final Set<String> TLP = Set.of("white", "green", "amber", "red", "clear", "amber-strict");
    private static final Set<String> ATTACK_TACTICS = Set.of("reconnaissance", "resource-development",
            "initial-access", "execution", "persistence", "privilege-escalation", "defense-evasion", "stealth",
            "defense-impairment", "credential-access",
            "discovery", "lateral-movement", "collection", "command-and-control", "exfiltration", "impact");
    private static final Pattern ATTACK_ID = Pattern.compile("^(t\\d{4}(\\.\\d{3})?|g\\d{4}|s\\d{4}|ds\\d{4}|m\\d{4})$");
    private static final Map<String, Pattern> PATTERNS = Map.of(
            "car", Pattern.compile("\\d{4}-\\d{2}-\\d{3}$"),
            "cve", Pattern.compile("^\\d+-\\d+$"),
            "detection", Pattern.compile("dfir|emerging-threats|threat-hunting"),
            "stp", Pattern.compile("^[1-5][auk]?$"));

    private final SigmaChecks checks;

    SigmaTagChecks(SigmaChecks checks) {
        this.checks = checks;
    }

    void check(SigmaDocument d) {
        Node tagsNode = d.top.get("tags");
        if (!(tagsNode instanceof SequenceNode)) {
            return;
        }
        List<String> tags = new ArrayList<>();
        for (Node n : ((SequenceNode) tagsNode).getValue()) {
            if (!(n instanceof ScalarNode)) {
                continue;
            }
            String tag = ((ScalarNode) n).getValue();
            tags.add(tag);
            tag(SigmaYaml.pos(d.file, n), tag);
        }
        for (String t : SigmaChecks.repeated(tags)) {
            checks.issue(d.keyPosition("tags"), "duplicate_tag", "medium", "The same tag appears multiple times", t);
        }
    }

    private void tag(Position at, String tag) {
        if (!FORMAT.matcher(tag).matches()) {
            checks.issue(at, "tag_format", "medium", "Invalid char in namaspace or name tag", tag);
        }
        int dot = tag.indexOf('.');
        if (dot < 0) {
            return; // not namespace.name: a load error
        }
        String namespace = tag.substring(0, dot);
        String name = tag.substring(dot + 1);
        if (!NAMESPACES.contains(namespace)) {
            checks.issue(at, "namespace_tag", "medium", "Invalid tagging namespace", tag);
        }
        if (namespace.equals("attack") && !ATTACK_TACTICS.contains(name) && !ATTACK_ID.matcher(name).matches()) {
            checks.issue(at, "attack_tag", "medium", "Invalid MITRE ATT&CK tagging", tag);
        }
        if (namespace.equals("tlp") && !TLP.contains(name)) {
            checks.issue(at, "tlp_tag", "medium", "Invalid TLP tagging", tag);
        }
        Pattern p = PATTERNS.get(namespace);
        if (p != null && !p.matcher(name).lookingAt()) {
            checks.issue(at, namespace + "_tag", "medium", "The tag is using an invalid pattern", tag);
        }
    }
}
