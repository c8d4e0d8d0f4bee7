package io.trailguard.rules.text;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CaseFoldTest {

    /** The definition: each code point maps to toLowerCase(toUpperCase(cp)). */
    private static String reference(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return sb.toString();
    }

    @Test
    void foldsLikeTheDefinition() {
        assertThat(CaseFold.fold("ConsoleLogin")).isEqualTo("consolelogin");
        assertThat(CaseFold.fold("already lower")).isSameAs(CaseFold.fold("already lower"));
        assertThat(CaseFold.fold("\u212Aelvin \u017Fs \u00C9T\u00C9")).isEqualTo(reference("\u212Aelvin \u017Fs \u00C9T\u00C9"));
        assertThat(CaseFold.fold("A\uD801\uDC00B")).isEqualTo("a\uD801\uDC28b"); // Deseret capital long I
        Random random = new Random(3);
        String alphabet = "aZ09-_ \u00C9\u00E9\u0130\u0131\u212A\u017F\u03A3\u03C2\uD801\uDC00\uD83D\uDE00";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                sb.append(c);
            }
            String s = sb.toString(); // may hold lone surrogates, as JSON text can
            assertThat(CaseFold.fold(s)).as(s).isEqualTo(reference(s));
        }
    }
}
