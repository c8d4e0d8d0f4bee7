package io.trailguard.rules.text;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralSearchTest {

    @Test
    void acceptsOnlyAGroupThatStartsWithALiteral() {
        assertThat(LiteralSearch.of(".*(arn:aws:iam::[0-9]+:(role|user)/(ops|admin)-3).*")).isNotNull();
        assertThat(LiteralSearch.of(".*(abc).*")).isNotNull();
        assertThat(LiteralSearch.of(".*(abc)|(def).*")).isNull(); // (.*(abc))|((def).*)
        assertThat(LiteralSearch.of(".*(abc|def).*")).isNull();
        assertThat(LiteralSearch.of(".*(ab[c]).*")).isNull(); // literal too short
        assertThat(LiteralSearch.of(".*(abcd?).*")).isNotNull();
        assertThat(LiteralSearch.of(".*(abc?).*")).isNull();
        assertThat(LiteralSearch.of(".*(abc$).*")).isNull();
        assertThat(LiteralSearch.of(".*(abc\\bx).*")).isNull();
        assertThat(LiteralSearch.of(".*(?:abc).*")).isNull();
        assertThat(LiteralSearch.of(".*(?i:abc).*")).isNull();
        assertThat(LiteralSearch.of("(abc).*")).isNull();
        assertThat(LiteralSearch.of(".*(abc)\\.*")).isNull();
    }

    /** The search answers what the full match of the regex answers, on texts built to hit its edges. */
    @Test
    void agreesWithTheFullMatchOnGeneratedTexts() {
        List<String> regexes = List.of(
                ".*(arn:aws:iam::[0-9]+:(role|user)/(ops|admin)-3).*",
                ".*(abcd?).*",
                ".*(aaa[ab]*b).*",
                ".*(abx(c|d)e+).*",
                ".*(xyz.).*",
                ".*(abc[)|]).*",
                ".*(a-b(x)?y{2,3}).*");
        String alphabet = "abcdexyz-:/0123456789|)\n aarn:aws:iam::1:role/ops-3";
        Random random = new Random(21);
        for (String regex : regexes) {
            LiteralSearch search = LiteralSearch.of(regex);
            assertThat(search).as(regex).isNotNull();
            Pattern full = Pattern.compile(regex, Pattern.DOTALL);
            int matched = 0;
            for (int i = 0; i < 20_000; i++) {
                StringBuilder text = new StringBuilder();
                int len = random.nextInt(40);
                for (int k = 0; k < len; k++) {
                    text.append(random.nextInt(4) == 0
                            ? seedOf(regex) : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
                }
                String t = text.toString();
                boolean want = full.matches(t);
                matched += want ? 1 : 0;
                assertThat(search.matches(t)).as(regex + " on " + t).isEqualTo(want);
            }
            assertThat(matched).as(regex + " matched some texts").isGreaterThan(0);
        }
    }

    /** A piece of text that makes {@code regex} match or nearly match. */
    private static String seedOf(String regex) {
        if (regex.startsWith(".*(arn")) {
            return "arn:aws:iam::42:user/admin-3";
        }
        return regex.substring(3, 6);
    }
}
