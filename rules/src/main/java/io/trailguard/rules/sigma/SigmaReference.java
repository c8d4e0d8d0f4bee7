package io.trailguard.rules.sigma;

import org.snakeyaml.engine.v2.nodes.Node;

/** A reference to a Sigma rule (its id, name or title) as a correlation or filter writes it, with its node. */
final class SigmaReference {
    final String reference;
    final Node node;

    SigmaReference(String reference, Node node) {
        this.reference = reference;
        this.node = node;
    }
}
