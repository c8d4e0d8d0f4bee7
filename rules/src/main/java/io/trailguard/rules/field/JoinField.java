package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * libs' {@code join(separator, list)}: the list's values joined with the separator, one string ("" for an empty
 * list); absent when the separator or the list is absent. Argument types are checked by {@link Transformers}.
 */
final class JoinField extends StringField {
    private final Field separator;
    private final Field list;

    JoinField(String name, Field separator, Field list) {
        super(name);
        this.separator = separator;
        this.list = list;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        Object sep = separator.extract(event);
        if (sep == null) {
            return null;
        }
        Object values = list.extract(event);
        if (values == null) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        FieldList.addTexts(texts, values);
        return String.join(FieldList.text(sep), texts);
    }
}
