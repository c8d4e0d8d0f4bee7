package io.trailguard.rules.sigma;

import io.trailguard.rules.text.CaseFold;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The values a Sigma field path found in one event (see {@link SigmaPathField}): one text per value reached,
 * several when the path crosses arrays (any-member semantics); a null element stands for a JSON null. A
 * {@code List<String>} (so it prints as a LIST field does), with the case-folded texts computed once per event and
 * shared by every rule that reads the field.
 */
final class SigmaValues extends AbstractList<String> implements RandomAccess {
    static final SigmaValues EMPTY = new SigmaValues(new String[0]);

    private final String[] texts;
    private String[] folded;

    SigmaValues(String[] texts) {
        this.texts = texts;
    }

    @Override
    public String get(int index) {
        return texts[index];
    }

    @Override
    public int size() {
        return texts.length;
    }

    /** The case-folded text of value {@code i} ({@link CaseFold}), null for a JSON null. */
    String folded(int i) {
        if (texts[i] == null) {
            return null;
        }
        if (folded == null) {
            folded = new String[texts.length];
        }
        String f = folded[i];
        if (f == null) {
            f = CaseFold.fold(texts[i]);
            folded[i] = f;
        }
        return f;
    }

    /** True when some value is a JSON null. */
    boolean hasNull() {
        for (String t : texts) {
            if (t == null) {
                return true;
            }
        }
        return false;
    }
}
