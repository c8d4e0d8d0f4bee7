package io.trailguard.rules.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MITRE ATT&CK (Enterprise, v19 as SigmaHQ writes it) in rule tags: tactics ({@code attack.defense-impairment},
 * Falco-style {@code mitre_persistence}, bare names, ids {@code TA0004}) and techniques ({@code attack.t1098.003},
 * {@code T1098}). The technique table gives each technique's tactics (from ATT&CK's technique pages), so outputs
 * can classify a rule even when it names only a technique. A tag that looks like ATT&CK and is in neither table is
 * {@linkplain #unknown unknown}: outputs report it, they never guess.
 */
public final class AttackTags {
    /** An ATT&CK tactic: its short name ({@code privilege-escalation}), display name, and id (null when v19's). */
    public enum Tactic {
        RECONNAISSANCE("Reconnaissance", "TA0043"),
        RESOURCE_DEVELOPMENT("Resource Development", "TA0042"),
        INITIAL_ACCESS("Initial Access", "TA0001"),
        EXECUTION("Execution", "TA0002"),
        PERSISTENCE("Persistence", "TA0003"),
        PRIVILEGE_ESCALATION("Privilege Escalation", "TA0004"),
        /** Up to v18 one tactic; v19 splits it into {@link #STEALTH} and {@link #DEFENSE_IMPAIRMENT}. */
        DEFENSE_EVASION("Defense Evasion", "TA0005"),
        STEALTH("Stealth", null),
        DEFENSE_IMPAIRMENT("Defense Impairment", null),
        CREDENTIAL_ACCESS("Credential Access", "TA0006"),
        DISCOVERY("Discovery", "TA0007"),
        LATERAL_MOVEMENT("Lateral Movement", "TA0008"),
        COLLECTION("Collection", "TA0009"),
        COMMAND_AND_CONTROL("Command and Control", "TA0011"),
        EXFILTRATION("Exfiltration", "TA0010"),
        IMPACT("Impact", "TA0040");

        private final String displayName;
        private final String id;

        Tactic(String displayName, String id) {
            this.displayName = displayName;
            this.id = id;
        }

        public String displayName() {
            return displayName;
        }

        /** The tactic id ({@code TA0004}), or null. */
        public String id() {
            return id;
        }

        /** The short name SigmaHQ writes ({@code privilege-escalation}). */
        public String shortName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final Map<String, Tactic> TACTICS = new HashMap<>();
    private static final Map<String, List<Tactic>> TECHNIQUES = new LinkedHashMap<>();
    private static final Map<String, String> NAMES = new HashMap<>();

    static {
        for (Tactic t : Tactic.values()) {
            TACTICS.put(t.name().toLowerCase(Locale.ROOT), t);
            if (t.id() != null) {
                TACTICS.put(t.id().toLowerCase(Locale.ROOT), t);
            }
        }
        // technique (top-level id) -> its tactics; sub-techniques share their parent's tactics
        technique("t1003", Tactic.CREDENTIAL_ACCESS);
        technique("t1005", Tactic.COLLECTION);
        technique("t1020", Tactic.EXFILTRATION);
        technique("t1021", Tactic.LATERAL_MOVEMENT);
        technique("t1037", Tactic.PERSISTENCE, Tactic.PRIVILEGE_ESCALATION);
        technique("t1040", Tactic.CREDENTIAL_ACCESS, Tactic.DISCOVERY);
        technique("t1059", Tactic.EXECUTION);
        technique("t1070", Tactic.STEALTH);
        technique("t1078", Tactic.STEALTH, Tactic.PERSISTENCE, Tactic.PRIVILEGE_ESCALATION, Tactic.INITIAL_ACCESS);
        technique("t1087", Tactic.DISCOVERY);
        technique("t1098", Tactic.PERSISTENCE, Tactic.PRIVILEGE_ESCALATION);
        technique("t1110", Tactic.CREDENTIAL_ACCESS);
        technique("t1136", Tactic.PERSISTENCE);
        technique("t1190", Tactic.INITIAL_ACCESS);
        technique("t1484", Tactic.DEFENSE_IMPAIRMENT, Tactic.PRIVILEGE_ESCALATION);
        technique("t1485", Tactic.IMPACT);
        technique("t1486", Tactic.IMPACT);
        technique("t1490", Tactic.IMPACT);
        technique("t1496", Tactic.IMPACT);
        technique("t1525", Tactic.PERSISTENCE);
        technique("t1526", Tactic.DISCOVERY);
        technique("t1530", Tactic.COLLECTION);
        technique("t1531", Tactic.IMPACT);
        technique("t1535", Tactic.STEALTH);
        technique("t1537", Tactic.EXFILTRATION);
        technique("t1546", Tactic.PRIVILEGE_ESCALATION, Tactic.PERSISTENCE);
        technique("t1548", Tactic.PRIVILEGE_ESCALATION, Tactic.DEFENSE_IMPAIRMENT);
        technique("t1550", Tactic.STEALTH, Tactic.LATERAL_MOVEMENT);
        technique("t1552", Tactic.CREDENTIAL_ACCESS);
        technique("t1555", Tactic.CREDENTIAL_ACCESS);
        technique("t1556", Tactic.CREDENTIAL_ACCESS, Tactic.DEFENSE_IMPAIRMENT, Tactic.PERSISTENCE);
        technique("t1562", Tactic.DEFENSE_IMPAIRMENT);
        technique("t1565", Tactic.IMPACT);
        technique("t1566", Tactic.INITIAL_ACCESS);
        technique("t1578", Tactic.DEFENSE_IMPAIRMENT);
        technique("t1580", Tactic.DISCOVERY);
        technique("t1608", Tactic.RESOURCE_DEVELOPMENT);
        technique("t1610", Tactic.DEFENSE_IMPAIRMENT, Tactic.EXECUTION);
        technique("t1619", Tactic.DISCOVERY);
        technique("t1648", Tactic.EXECUTION);
        technique("t1651", Tactic.EXECUTION);
        technique("t1666", Tactic.DEFENSE_IMPAIRMENT);
        technique("t1685", Tactic.DEFENSE_IMPAIRMENT);
        technique("t1686", Tactic.DEFENSE_IMPAIRMENT);
        // ATT&CK's names of the top-level techniques (sub-techniques are named by id only)
        name("T1003", "OS Credential Dumping");
        name("T1005", "Data from Local System");
        name("T1020", "Automated Exfiltration");
        name("T1021", "Remote Services");
        name("T1037", "Boot or Logon Initialization Scripts");
        name("T1040", "Network Sniffing");
        name("T1059", "Command and Scripting Interpreter");
        name("T1070", "Indicator Removal");
        name("T1078", "Valid Accounts");
        name("T1087", "Account Discovery");
        name("T1098", "Account Manipulation");
        name("T1110", "Brute Force");
        name("T1136", "Create Account");
        name("T1190", "Exploit Public-Facing Application");
        name("T1484", "Domain or Tenant Policy Modification");
        name("T1485", "Data Destruction");
        name("T1486", "Data Encrypted for Impact");
        name("T1490", "Inhibit System Recovery");
        name("T1496", "Resource Hijacking");
        name("T1525", "Implant Internal Image");
        name("T1526", "Cloud Service Discovery");
        name("T1530", "Data from Cloud Storage");
        name("T1531", "Account Access Removal");
        name("T1535", "Unused/Unsupported Cloud Regions");
        name("T1537", "Transfer Data to Cloud Account");
        name("T1546", "Event Triggered Execution");
        name("T1548", "Abuse Elevation Control Mechanism");
        name("T1550", "Use Alternate Authentication Material");
        name("T1552", "Unsecured Credentials");
        name("T1555", "Credentials from Password Stores");
        name("T1556", "Modify Authentication Process");
        name("T1562", "Impair Defenses");
        name("T1565", "Data Manipulation");
        name("T1566", "Phishing");
        name("T1578", "Modify Cloud Compute Infrastructure");
        name("T1580", "Cloud Infrastructure Discovery");
        name("T1608", "Stage Capabilities");
        name("T1610", "Deploy Container");
        name("T1619", "Cloud Storage Object Discovery");
        name("T1648", "Serverless Execution");
        name("T1651", "Cloud Administration Command");
        name("T1666", "Modify Cloud Resource Hierarchy");
    }

    private AttackTags() {
    }

    private static void technique(String id, Tactic... tactics) {
        TECHNIQUES.put(id, List.of(tactics));
    }

    private static void name(String id, String name) {
        NAMES.put(id, name);
    }

    /**
     * ATT&CK's name of a top-level technique id ({@code T1098}: Account Manipulation), or null when the table has
     * none (a sub-technique id, or a technique whose name the table does not carry).
     */
    public static String techniqueName(String techniqueId) {
        return techniqueId == null ? null : NAMES.get(techniqueId.toUpperCase(Locale.ROOT));
    }

    /** The tactic a tag names, or null. */
    public static Tactic tactic(String tag) {
        String t = strip(tag);
        return t == null ? null : TACTICS.get(t.replace('-', '_').replace(' ', '_'));
    }

    /** The technique id a tag names ({@code T1098.003}, upper case), or null when the tag names no technique. */
    public static String techniqueId(String tag) {
        String t = strip(tag);
        if (t == null || !t.matches("t\\d{4}(\\.\\d{3})?")) {
            return null;
        }
        return t.toUpperCase(Locale.ROOT);
    }

    /** The tactics of a technique id, or an empty list when the table does not know it. */
    public static List<Tactic> tacticsOf(String techniqueId) {
        String top = techniqueId.toLowerCase(Locale.ROOT);
        int dot = top.indexOf('.');
        if (dot > 0) {
            top = top.substring(0, dot);
        }
        return TECHNIQUES.getOrDefault(top, List.of());
    }

    /**
     * True when the tag has ATT&CK's form ({@code attack.*}, {@code mitre_*}, a technique or tactic id) but names
     * no tactic the table knows nor a technique it knows.
     */
    public static boolean unknown(String tag) {
        if (!looksLikeAttack(tag) || isGroupOrSoftware(tag)) {
            return false;
        }
        if (tactic(tag) != null) {
            return false;
        }
        String tech = techniqueId(tag);
        return tech == null || tacticsOf(tech).isEmpty();
    }

    /** ATT&CK group ({@code attack.g0016}) and software ({@code attack.s0002}) ids classify no behaviour. */
    private static boolean isGroupOrSoftware(String tag) {
        String t = strip(tag);
        return t != null && t.matches("[gs]\\d{4}");
    }

    private static boolean looksLikeAttack(String tag) {
        if (tag == null) {
            return false;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        return t.startsWith("attack.") || t.startsWith("mitre_") || t.startsWith("mitre.") || t.matches("t\\d{4}(\\.\\d{3})?")
                || t.matches("ta\\d{4}");
    }

    /** The tactics the tags name, directly or through their techniques, in tag order, each once. */
    public static List<Tactic> tactics(List<String> tags) {
        List<Tactic> out = new ArrayList<>();
        for (String tag : tags) {
            Tactic t = tactic(tag);
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        for (String tag : tags) {
            String tech = techniqueId(tag);
            if (tech != null && !hasAnyTactic(out, tacticsOf(tech))) {
                for (Tactic t : tacticsOf(tech)) {
                    if (!out.contains(t)) {
                        out.add(t);
                    }
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static boolean hasAnyTactic(List<Tactic> have, List<Tactic> of) {
        for (Tactic t : of) {
            if (have.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** The technique ids the tags name, in tag order, each once. */
    public static List<String> techniques(List<String> tags) {
        List<String> out = new ArrayList<>();
        for (String tag : tags) {
            String id = techniqueId(tag);
            if (id != null && !out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private static String strip(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"attack.", "mitre_", "mitre.", "mitre-", "mitre:"}) {
            if (t.startsWith(prefix)) {
                return t.substring(prefix.length());
            }
        }
        return t;
    }
}
