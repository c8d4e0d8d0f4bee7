package io.trailguard.rules.sigma;

import io.trailguard.rules.text.CaseFold;
import io.trailguard.rules.text.StarPattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case-insensitive Sigma strings with ASCII literals are matched on the raw text; the answer must always be the one
 * the folded text gives (the definition), including characters that fold onto ASCII letters and surrogates.
 */
class UnfoldedMatchingTest {
    private static final String TEXT_ALPHABET = "aAbBkKsSiI-/*\u212A\u017F\u0130\u0131\u00DF\u03A3\uD801\uDC00\uD83D";
    private static final String LITERAL_ALPHABET = "abkis-/";

    private static String random(Random r, String alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void literalKindsAgreeWithTheFoldedText() {
        Random r = new Random(17);
        Matching.Kind[] kinds = {Matching.Kind.EXACT, Matching.Kind.PREFIX, Matching.Kind.SUFFIX, Matching.Kind.CONTAINS};
        int matched = 0;
        for (int round = 0; round < 200_000; round++) {
            Matching.Kind kind = kinds[r.nextInt(kinds.length)];
            String literal = random(r, LITERAL_ALPHABET, 3);
            Matching.StringTest test = new Matching.StringTest(kind, literal, null, false);
            assertThat(test.unfolded).isTrue();
            String text = random(r, TEXT_ALPHABET, 6);
            boolean expected = test.matches(CaseFold.fold(text));
            assertThat(test.matchesIgnoringCase(text)).as("%s '%s' on '%s'", kind, literal, text).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).isGreaterThan(10_000);
    }

    @Test
    void starPatternsAgreeWithTheFoldedText() {
        Random r = new Random(23);
        int matched = 0;
        for (int round = 0; round < 100_000; round++) {
            List<String> segments = new ArrayList<>();
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                segments.add(random(r, LITERAL_ALPHABET, 2));
            }
            String text = random(r, TEXT_ALPHABET, 6);
            boolean expected = StarPattern.of(segments, false).matches(CaseFold.fold(text));
            assertThat(StarPattern.of(segments, true).matches(text)).as("%s on '%s'", segments, text)
                    .isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).isGreaterThan(5_000);
    }

    @Test
    void nonAsciiLiteralsAndPatternsKeepFolding() {
        assertThat(new Matching.StringTest(Matching.Kind.EXACT, "\u00e9t\u00e9", null, false).unfolded).isFalse();
        assertThat(new Matching.StringTest(Matching.Kind.EXACT, "abc", null, true).unfolded).isFalse();
    }
}
