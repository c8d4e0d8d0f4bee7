package io.trailguard.rules.text;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StarPatternTest {

    private static boolean matches(boolean ignoreCase, String text, String... segments) {
        return StarPattern.of(Arrays.asList(segments), ignoreCase).matches(text);
    }

    @Test
    void segmentsAnchorAtBothEndsAndOccurInOrder() {
        assertThat(matches(false, "Terraform/1.5 (+https://www.terraform.io)", "", "Terraform/", "")).isTrue();
        assertThat(matches(false, "cdk-hnb659fds-cfn-exec-role-1234-us-east-1", "cdk-", "-cfn-exec-role-", "")).isTrue();
        assertThat(matches(false, "xcdk-a-cfn-exec-role-", "cdk-", "-cfn-exec-role-", "")).isFalse();
        assertThat(matches(false, "abc", "abc")).isTrue();
        assertThat(matches(false, "abcd", "abc")).isFalse();
        assertThat(matches(false, "ba", "", "a", "b", "")).isFalse(); // order matters
        assertThat(matches(false, "aXb", "a", "b")).isTrue();
        assertThat(matches(false, "ab", "a", "b")).isTrue();
    }

    @Test
    void prefixAndSuffixMustNotOverlap() {
        assertThat(matches(false, "aba", "ab", "ba")).isFalse();
        assertThat(matches(false, "abba", "ab", "ba")).isTrue();
        assertThat(matches(false, "abXba", "ab", "X", "ba")).isTrue();
        assertThat(matches(false, "abba", "ab", "b", "ba")).isFalse(); // the middle 'b' would overlap
    }

    @Test
    void ignoringCaseCoversAsciiSegmentsOnly() {
        assertThat(matches(true, "MY-PULUMI/3.0", "", "pulumi/", "")).isTrue();
        assertThat(matches(true, "\u212Aey", "key")).isTrue(); // Kelvin sign folds onto k, as in RE2
        assertThat(StarPattern.of(List.of("", "\u00e9t\u00e9", ""), true)).isNull();
        assertThat(StarPattern.of(List.of("", "\u00e9t\u00e9", ""), false)).isNotNull();
        assertThatThrownBy(() -> StarPattern.of(List.of(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random star patterns and texts over a tiny alphabet: the answer is always the anchored regex's. */
    @Test
    void agreesWithTheEquivalentRegex() {
        Random random = new Random(11);
        String alphabet = "abAB/\u212A";
        for (int round = 0; round < 20_000; round++) {
            boolean ignoreCase = random.nextBoolean();
            int count = 1 + random.nextInt(4);
            List<String> segments = new ArrayList<>();
            StringBuilder regex = new StringBuilder("(?s)");
            for (int k = 0; k < count; k++) {
                String seg = randomText(random, "abAB/", random.nextInt(3));
                segments.add(seg);
                if (k > 0) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(seg));
            }
            Pattern p = Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            StarPattern star = StarPattern.of(segments, ignoreCase);
            for (int t = 0; t < 10; t++) {
                String text = randomText(random, alphabet, random.nextInt(8));
                assertThat(star.matches(text)).as("%s on '%s' (ignore case %s)", segments, text, ignoreCase)
                        .isEqualTo(p.matches(text));
            }
        }
    }

    static String randomText(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
