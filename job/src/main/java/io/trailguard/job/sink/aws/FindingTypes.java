package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.AttackTags;
import io.trailguard.rules.engine.AttackTags.Tactic;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ASFF {@code Types} of a rule, {@code namespace/category/classifier} from its ATT&CK tags: each tactic gives
 * its category ({@code TTPs/Defense Evasion}: ASFF has one category for ATT&CK v19's Stealth and Defense
 * Impairment, the type AWS's own findings use for trail tampering), each technique
 * {@code category/classifier} with the technique id as classifier ({@code TTPs/Defense Evasion/T1685.002}) under
 * each of its tactics the rule names (or all of its tactics when the rule names none of them). Exfiltration and
 * Impact have no TTPs category: they map to {@code Effects} categories (Impact techniques to the effect they
 * cause). Only a rule without any ATT&CK tag gets {@link #NO_TACTIC}; an ATT&CK tag the tables do not know is
 * reported ({@link #unmapped}), never replaced by a guess.
 */
public final class FindingTypes {
    /** The type of a rule that names no ATT&CK tactic or technique. */
    public static final String NO_TACTIC = "Unusual Behaviors/User";
    static final int MAX_TYPES = 50;

    /** The five ASFF namespaces and their categories (AWS Security Hub, ASFF types taxonomy). */
    public static final Map<String, List<String>> TAXONOMY = Map.of(
            "Software and Configuration Checks", List.of("Vulnerabilities", "AWS Security Best Practices",
                    "Industry and Regulatory Standards"),
            "TTPs", List.of("Initial Access", "Execution", "Persistence", "Privilege Escalation", "Defense Evasion",
                    "Credential Access", "Discovery", "Lateral Movement", "Collection", "Command and Control"),
            "Effects", List.of("Data Exposure", "Data Exfiltration", "Data Destruction", "Denial of Service",
                    "Resource Consumption"),
            "Unusual Behaviors", List.of("Application", "Network Flow", "IP address", "User", "VM", "Container",
                    "Serverless", "Process", "Database", "Data"),
            "Sensitive Data Identifications", List.of("PII", "Passwords", "Legal", "Financial", "Security",
                    "Business"));

    private static final Map<Tactic, String> TACTIC_TYPES = new EnumMap<>(Tactic.class);
    /** Impact techniques by the effect they cause. */
    private static final Map<String, String> IMPACT_EFFECTS = Map.of(
            "T1485", "Effects/Data Destruction",
            "T1486", "Effects/Data Destruction",
            "T1490", "Effects/Data Destruction",
            "T1565", "Effects/Data Destruction",
            "T1496", "Effects/Resource Consumption",
            "T1531", "Effects/Denial of Service");

    static {
        TACTIC_TYPES.put(Tactic.RECONNAISSANCE, "TTPs/Discovery");
        TACTIC_TYPES.put(Tactic.RESOURCE_DEVELOPMENT, "TTPs/Initial Access");
        TACTIC_TYPES.put(Tactic.INITIAL_ACCESS, "TTPs/Initial Access");
        TACTIC_TYPES.put(Tactic.EXECUTION, "TTPs/Execution");
        TACTIC_TYPES.put(Tactic.PERSISTENCE, "TTPs/Persistence");
        TACTIC_TYPES.put(Tactic.PRIVILEGE_ESCALATION, "TTPs/Privilege Escalation");
        TACTIC_TYPES.put(Tactic.DEFENSE_EVASION, "TTPs/Defense Evasion");
        TACTIC_TYPES.put(Tactic.STEALTH, "TTPs/Defense Evasion");
        TACTIC_TYPES.put(Tactic.DEFENSE_IMPAIRMENT, "TTPs/Defense Evasion");
        TACTIC_TYPES.put(Tactic.CREDENTIAL_ACCESS, "TTPs/Credential Access");
        TACTIC_TYPES.put(Tactic.DISCOVERY, "TTPs/Discovery");
        TACTIC_TYPES.put(Tactic.LATERAL_MOVEMENT, "TTPs/Lateral Movement");
        TACTIC_TYPES.put(Tactic.COLLECTION, "TTPs/Collection");
        TACTIC_TYPES.put(Tactic.COMMAND_AND_CONTROL, "TTPs/Command and Control");
        TACTIC_TYPES.put(Tactic.EXFILTRATION, "Effects/Data Exfiltration");
        TACTIC_TYPES.put(Tactic.IMPACT, "Effects/Data Destruction");
        for (Tactic t : Tactic.values()) {
            if (!TACTIC_TYPES.containsKey(t)) {
                throw new ExceptionInInitializerError("no ASFF type for tactic " + t);
            }
        }
    }

    private FindingTypes() {
    }

    /** The category type of a tactic ({@code TTPs/Persistence}). */
    public static String ofTactic(Tactic t) {
        return TACTIC_TYPES.get(t);
    }

    /** The types of a rule with these tags, most general first, at most {@value #MAX_TYPES}. */
    public static List<String> of(List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        List<Tactic> named = new ArrayList<>();
        for (String tag : tags) {
            Tactic t = AttackTags.tactic(tag);
            if (t != null && !named.contains(t)) {
                named.add(t);
            }
        }
        for (Tactic t : AttackTags.tactics(tags)) {
            out.add(ofTactic(t));
        }
        for (String tech : AttackTags.techniques(tags)) {
            List<Tactic> its = AttackTags.tacticsOf(tech);
            List<Tactic> under = new ArrayList<>();
            for (Tactic t : its) {
                if (named.contains(t)) {
                    under.add(t);
                }
            }
            for (Tactic t : under.isEmpty() ? its : under) {
                out.add(techniqueType(t, tech));
            }
        }
        if (out.isEmpty()) {
            out.add(NO_TACTIC);
        }
        List<String> list = new ArrayList<>(out);
        return list.size() > MAX_TYPES ? list.subList(0, MAX_TYPES) : list;
    }

    private static String techniqueType(Tactic t, String technique) {
        if (t == Tactic.IMPACT) {
            String top = technique.contains(".") ? technique.substring(0, technique.indexOf('.')) : technique;
            String effect = IMPACT_EFFECTS.get(top);
            return (effect != null ? effect : ofTactic(t)) + "/" + technique;
        }
        return ofTactic(t) + "/" + technique;
    }

    /** The ATT&CK-looking tags of a rule that neither table knows (reported in the finding, never guessed). */
    public static List<String> unmapped(List<String> tags) {
        List<String> out = new ArrayList<>();
        for (String t : tags) {
            if (AttackTags.unknown(t)) {
                out.add(t);
            }
        }
        return out;
    }
}
