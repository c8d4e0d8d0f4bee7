package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Alert;

import java.io.Serializable;

/** Tells the acting principal of an alert; null (or an actor without key) when the alert names none. */
@FunctionalInterface
public interface ActorOf extends Serializable {
    Actor of(Alert alert);
}
