package io.trailguard.rules.engine;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.loader.LoadOptions;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.Collectors;

import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** The eventName index and matching modes. */
class RuleSetTest {
    static String rule(String name, String condition) {
        return "- rule: " + name + "\n  desc: d\n  condition: " + condition + "\n  output: o\n"
                + "  priority: INFO\n  source: aws_cloudtrail\n";
    }

    static String names(Rule[] rules) {
        return Arrays.stream(rules).map(Rule::name).collect(Collectors.joining(","));
    }

    @Test
    void eventsAreEvaluatedOnlyAgainstRulesThatCanMatchTheirName() {
        RuleSet rs = load(rule("A", "ct.name = X and ct.region = r")
                + rule("B", "ct.name in (X, Y)")
                + rule("C", "ct.region = r")
                + rule("D", "ct.name = X or ct.name = Z")
                + rule("E", "ct.name = X or ct.region = r")
                + rule("F", "jevt.value[/eventName] = Y")
                + rule("G", "not ct.name = X")
                + rule("H", "ct.name = X and ct.name = Y")).orThrow();
        assertThat(rs.rules().get(0).eventNames()).containsExactly("X");
        assertThat(rs.rules().get(4).eventNames()).isNull();
        assertThat(rs.rules().get(7).eventNames()).isEmpty();
        assertThat(names(rs.candidates(q("{'eventName':'X'}")))).isEqualTo("A,B,C,D,E,G");
        assertThat(names(rs.candidates(q("{'eventName':'Y'}")))).isEqualTo("B,C,E,F,G");
        assertThat(names(rs.candidates(q("{'eventName':'Q'}")))).isEqualTo("C,E,G");
        assertThat(names(rs.candidates(q("{'eventSource':'s'}")))).isEqualTo("C,E,G");
        assertThat(names(rs.candidates(q("{'eventName':7}")))).isEqualTo("A,B,C,D,E,F,G,H");
    }

    @Test
    void allModeAlertsEveryMatchInLoadOrderFirstModeOnlyTheFirst() {
        String yaml = rule("A", "ct.region = r") + rule("B", "ct.name = X") + rule("C", "ct.name exists");
        CloudTrailEvent e = q("{'eventName':'X','awsRegion':'r'}");
        RuleSet all = load(yaml).orThrow();
        assertThat(all.evaluate(e, all.newContext())).extracting(x -> x.rule().name()).containsExactly("A", "B", "C");
        RuleSet first = load(yaml, LoadOptions.defaults().matching(MatchingMode.FIRST)).orThrow();
        assertThat(first.evaluate(e, first.newContext())).extracting(x -> x.rule().name()).containsExactly("A");
    }

    @Test
    void oneContextEvaluatesManyEventsWithoutStaleValues() {
        RuleSet rs = load(rule("A", "ct.region = r")).orThrow();
        EvaluationContext ctx = rs.newContext();
        assertThat(rs.evaluate(q("{'eventName':'X','awsRegion':'r'}"), ctx)).hasSize(1);
        assertThat(rs.evaluate(q("{'eventName':'X','awsRegion':'s'}"), ctx)).isEmpty();
        assertThat(rs.evaluate(q("{'eventName':'X','awsRegion':'r'}"), ctx)).hasSize(1);
    }

    @Test
    void alertTimesHaveNineFractionDigits() {
        assertThat(RuleSet.isoTime(1688989325000L)).isEqualTo("2023-07-10T11:42:05.000000000Z");
        assertThat(RuleSet.isoTime(1688989325007L)).isEqualTo("2023-07-10T11:42:05.007000000Z");
        assertThat(RuleSet.isoTime(-1L)).isEqualTo("1969-12-31T23:59:59.999000000Z");
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong() % 4_000_000_000_000L;
            java.time.Instant t = java.time.Instant.ofEpochMilli(millis);
            String expected = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(t);
            assertThat(RuleSet.isoTime(millis)).isEqualTo(expected);
        }
    }

    @Test
    void alertTimesAreFormattedAsJavaTimeDoesAcrossAndAtTheEdgesOfTheDirectRange() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
        long last9999 = 253_402_300_799_999L;
        java.util.List<Long> edges = new java.util.ArrayList<>(java.util.List.of(0L, 1L, -1L, 86_399_999L,
                86_400_000L, 951_782_400_000L, 951_868_799_999L, 4_107_542_399_999L, 4_107_542_400_000L,
                last9999 - 1, last9999, last9999 + 1, Long.MAX_VALUE / 4, -62_135_596_800_000L));
        java.util.Random random = new java.util.Random(2);
        for (int i = 0; i < 100_000; i++) {
            edges.add(Math.floorMod(random.nextLong(), last9999 + 1));
        }
        for (int year = 1970; year <= 9999; year += 7) { // each 1 March and the day before (leap rules)
            long march = java.time.LocalDate.of(year, 3, 1).toEpochDay() * 86_400_000L;
            edges.add(march);
            edges.add(march - 1);
        }
        for (long millis : edges) {
            String expected = millis > last9999 ? java.time.Instant.ofEpochMilli(millis).toString()
                    : f.format(java.time.Instant.ofEpochMilli(millis));
            if (millis > last9999) {
                assertThat(RuleSet.isoTime(millis)).startsWith("+");
            } else {
                assertThat(RuleSet.isoTime(millis)).as("%d", millis).isEqualTo(expected);
            }
        }
    }

    @Test
    void candidatesDoNotDependOnHowTheEventSpellsItsName() {
        RuleSet rs = load(rule("A", "ct.name = ConsoleLogin") + rule("B", "ct.region = r")).orThrow();
        CloudTrailEvent exact = q("{'eventName':'ConsoleLogin','awsRegion':'r'}");
        CloudTrailEvent other = q("{'eventName':'consolelogin','awsRegion':'r'}");
        // the first lookup of a spelling fills a cache; later lookups must give the same answer
        for (int round = 0; round < 2; round++) {
            assertThat(names(rs.candidates(exact))).isEqualTo("A,B");
            assertThat(names(rs.candidates(other))).isEqualTo("A,B"); // the index is case-folded (Sigma ignores case)
            assertThat(rs.evaluate(exact, rs.newContext())).extracting(x -> x.rule().name()).containsExactly("A", "B");
            assertThat(rs.evaluate(other, rs.newContext())).extracting(x -> x.rule().name()).containsExactly("B");
        }
    }

    @Test
    void theSpellingCacheIsBoundedAgainstHostileEventNames() {
        RuleSet rs = load(rule("A", "ct.name = X") + rule("B", "ct.region = r")).orThrow();
        String longName = "N".repeat(200);
        for (int i = 0; i < 100; i++) {
            assertThat(names(rs.candidates(q("{'eventName':'" + longName + i + "'}")))).isEqualTo("B");
        }
        assertThat(rs.cachedNames()).isZero(); // long names are never cached
        for (int i = 0; i < 10_000; i++) {
            assertThat(names(rs.candidates(q("{'eventName':'Name" + i + "'}")))).isEqualTo("B");
        }
        assertThat(rs.cachedNames()).isEqualTo(8192);
        assertThat(names(rs.candidates(q("{'eventName':'X'}")))).isEqualTo("A,B"); // past the bound: still right
    }

    /**
     * Rules holding the same comparison share one predicate evaluated once per event: its answer must follow each
     * event (not the first one evaluated) and serve a negating rule as well as a plain one.
     */
    @Test
    void aSharedPredicateAnswersForEachEvent() {
        RuleSet rs = load(rule("A", "ct.useragent regex \".*(terraform/[0-9]).*\"")
                + rule("B", "not ct.useragent regex \".*(terraform/[0-9]).*\"")
                + rule("C", "ct.region = r and ct.useragent regex \".*(terraform/[0-9]).*\"")).orThrow();
        EvaluationContext ctx = rs.newContext();
        CloudTrailEvent tf = q("{'eventName':'X','awsRegion':'r','userAgent':'HashiCorp terraform/1.5'}");
        CloudTrailEvent cli = q("{'eventName':'X','awsRegion':'r','userAgent':'aws-cli/2'}");
        for (int i = 0; i < 3; i++) {
            assertThat(rs.evaluate(tf, ctx)).extracting(x -> x.rule().name()).containsExactly("A", "C");
            assertThat(rs.evaluate(cli, ctx)).extracting(x -> x.rule().name()).containsExactly("B");
        }
    }
}
