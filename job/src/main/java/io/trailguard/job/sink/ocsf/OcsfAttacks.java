package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.engine.AttackTags;
import io.trailguard.rules.engine.AttackTags.Tactic;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code finding_info.attacks} from a rule's ATT&CK tags (the project's table, {@link AttackTags}): one entry per
 * technique tag, with the sub-technique when the tag names one, and the tactic of the technique that the rule's
 * tags also name (else the technique's first tactic); one entry for each tagged tactic no technique covers. Tactic
 * and technique carry their id and ATT&CK name where the table has them.
 */
final class OcsfAttacks {
    private OcsfAttacks() {
    }

    static ArrayNode of(List<String> tags) {
        ArrayNode out = JobJson.mapper().createArrayNode();
        List<Tactic> ruleTactics = AttackTags.tactics(tags);
        List<Tactic> covered = new ArrayList<>();
        for (String id : AttackTags.techniques(tags)) {
            ObjectNode attack = out.addObject();
            Tactic tactic = tacticFor(id, ruleTactics);
            if (tactic != null) {
                attack.set("tactic", tactic(tactic));
                covered.add(tactic);
            }
            int dot = id.indexOf('.');
            String top = dot > 0 ? id.substring(0, dot) : id;
            ObjectNode technique = attack.putObject("technique").put("uid", top);
            putIfPresent(technique, "name", AttackTags.techniqueName(top));
            if (dot > 0) {
                attack.putObject("sub_technique").put("uid", id);
            }
        }
        for (Tactic t : ruleTactics) {
            if (!covered.contains(t)) {
                out.addObject().set("tactic", tactic(t));
            }
        }
        return out;
    }

    private static Tactic tacticFor(String technique, List<Tactic> ruleTactics) {
        List<Tactic> of = AttackTags.tacticsOf(technique);
        for (Tactic t : of) {
            if (ruleTactics.contains(t)) {
                return t;
            }
        }
        return of.isEmpty() ? null : of.get(0);
    }

    private static ObjectNode tactic(Tactic t) {
        ObjectNode n = JobJson.mapper().createObjectNode().put("name", t.displayName());
        putIfPresent(n, "uid", t.id());
        return n;
    }

    private static void putIfPresent(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }
}
