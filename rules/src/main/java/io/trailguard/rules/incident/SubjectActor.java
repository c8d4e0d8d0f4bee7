package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventSubject;

/**
 * The acting principal of an alert from its {@link EventSubject}: the principal ARN, access key id, principal name
 * and source IP the engine extracted from the event (for a rate alert, what its group and carried values tell).
 */
public final class SubjectActor implements ActorOf {
    private static final long serialVersionUID = 1L;

    public static final SubjectActor INSTANCE = new SubjectActor();

    @Override
    public Actor of(Alert alert) {
        EventSubject s = alert.subject();
        return new Actor(s.principalArn(), s.accessKeyId(), s.principalName(), s.sourceIp());
    }
}
