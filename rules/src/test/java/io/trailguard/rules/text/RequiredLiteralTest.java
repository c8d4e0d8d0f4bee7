package io.trailguard.rules.text;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredLiteralTest {

    @Test
    void findsTheLongestTopLevelRun() {
        assertThat(RequiredLiteral.of(".+:assumed-role/aws:.+")).isEqualTo(":assumed-role/aws:");
        assertThat(RequiredLiteral.of("^arn:aws:iam::\\d+:role/admin$")).isEqualTo("arn:aws:iam::");
        assertThat(RequiredLiteral.of("abc\\.def")).isEqualTo("abc.def");
        assertThat(RequiredLiteral.of("(foo|bar)-suffix")).isEqualTo("-suffix");
        assertThat(RequiredLiteral.of("[a-z]+wxyz[0-9]")).isEqualTo("wxyz");
    }

    @Test
    void quantifiedCharactersAreNotRequired() {
        assertThat(RequiredLiteral.of("abcd?")).isEqualTo("abc");
        assertThat(RequiredLiteral.of("abcd*")).isEqualTo("abc");
        assertThat(RequiredLiteral.of("abcd{0,2}")).isEqualTo("abc");
        assertThat(RequiredLiteral.of("abcd{2}xy")).isEqualTo("abcd");
        assertThat(RequiredLiteral.of("abcd+e")).isEqualTo("abcd");
        assertThat(RequiredLiteral.of("abc\\.?")).isEqualTo("abc");
    }

    @Test
    void givesUpOnWhatItDoesNotAnalyse() {
        assertThat(RequiredLiteral.of("abcd|efgh")).isNull();
        assertThat(RequiredLiteral.of("(?i)abcdef")).isNull();
        assertThat(RequiredLiteral.of("\\Qabcdef\\E")).isNull();
        assertThat(RequiredLiteral.of("abc\\012def")).isNull();
        assertThat(RequiredLiteral.of("ab")).isNull(); // too short to be worth a pre-filter
        assertThat(RequiredLiteral.of("abc{x")).isNull();
        assertThat(RequiredLiteral.of("\uD83D\uDE00abc")).isNull();
    }

    /**
     * Random expressions over literals, classes, groups, alternations inside groups, escapes and quantifiers: when
     * RE2 finds a match in a text, the text contains the required literal (the pre-filter never hides a match).
     */
    @Test
    void neverRejectsATextTheRegexMatches() {
        Random random = new Random(5);
        String[] atoms = {"a", "b", "c", "ab", "abc", "\\.", ".", "[ab]", "[^c]", "(a|bc)", "(?:ab)", "\\d", "\\w",
            "1", "x", "\\x{61}", "^", "$"};
        String[] quantifiers = {"", "", "", "?", "*", "+", "{2}", "{0,1}", "{1,}", "??", "+?"};
        int analysed = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder re = new StringBuilder();
            int parts = 1 + random.nextInt(6);
            for (int k = 0; k < parts; k++) {
                re.append(atoms[random.nextInt(atoms.length)]);
                re.append(quantifiers[random.nextInt(quantifiers.length)]);
            }
            Pattern p;
            try {
                p = Pattern.compile(re.toString());
            } catch (PatternSyntaxException e) {
                continue;
            }
            String literal = RequiredLiteral.of(re.toString());
            if (literal == null) {
                continue;
            }
            analysed++;
            for (int t = 0; t < 20; t++) {
                String text = StarPatternTest.randomText(random, "abc.1x", random.nextInt(10));
                if (p.matcher(text).find()) {
                    assertThat(text).as("regex %s matched, literal '%s'", re, literal).contains(literal);
                }
            }
            // a text built to match: the literal embedded in random context
            String text = "ab" + literal + "abc";
            if (p.matcher(text).find()) {
                assertThat(text).contains(literal);
            }
        }
        assertThat(analysed).isGreaterThan(1000);
    }
}
