package io.trailguard.rules.sigma;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.Field;
import io.trailguard.rules.field.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * What Sigma keyword searches (search identifiers that are lists of plain values) look at: every leaf value of the
 * record (strings, numbers and booleans as their {@link JsonText} texts), whatever its key. Cached per event under
 * {@code sigma:*keywords}.
 */
final class SigmaKeywordField implements Field {
    static final String CANONICAL_NAME = "sigma:*keywords";

    @Override
    public String name() {
        return "sigma.keywords";
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        List<String> out = new ArrayList<>();
        JsonText.leaves(event.record(), out);
        return new SigmaValues(out.toArray(new String[0]));
    }
}
