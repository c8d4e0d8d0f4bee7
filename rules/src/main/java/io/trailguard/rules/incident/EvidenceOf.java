package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Alert;

import java.io.Serializable;

/**
 * Turns alerts into incident {@link Evidence}: the acting principal ({@link ActorOf}), the finding id
 * ({@link FindingIdOf}) and the ATT&CK tactics and techniques of the rule's tags ({@link RuleAttack}). Alerts that
 * name no principal, whose rule has no tactic tag, and incident alerts themselves give none. Which of the rest
 * count is the policy's decision ({@link IncidentPolicy#counts}), made in the stage, since the policy changes with
 * the rules.
 */
public final class EvidenceOf implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ActorOf actors;
    private final FindingIdOf findingIds;

    public EvidenceOf(ActorOf actors, FindingIdOf findingIds) {
        this.actors = actors;
        this.findingIds = findingIds;
    }

    /** The evidence of {@code a}, or null. */
    public Evidence of(Alert a) {
        if (a.incident() != null || IncidentPolicy.RULE.equals(a.rule().name())) {
            return null;
        }
        RuleAttack attack = RuleAttack.of(a.rule().tags());
        if (attack.tactics().isEmpty()) {
            return null;
        }
        Actor actor = actors.of(a);
        if (actor == null || actor.key() == null) {
            return null;
        }
        return new Evidence(a.rule().name(), a.rule().priority(), a.event().id(), a.event().timeMillis(),
                findingIds.of(a), actor, a.event().account(), a.event().region(),
                attack.tactics(), attack.techniques());
    }
}
