package io.trailguard.rules.engine;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static io.trailguard.rules.testing.Events.event;
import static io.trailguard.rules.testing.Events.load;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert line assembled from the parts the alerts of one event share ({@link AlertLineParts}) is the line
 * written member by member ({@link AlertJson#writeMembers}), and parts are only used by alerts they describe.
 */
class AlertLinePartsTest {

    /** Rules with two templates shared by several rules, one of its own, odd characters and absent fields. */
    static final String RULES = ""
            + "- rule: Same output A\n  desc: first\n  condition: ct.name exists\n"
            + "  output: '%ct.name by %ct.user.arn from %ct.srcip'\n  priority: WARNING\n  source: aws_cloudtrail\n"
            + "  tags: [b, a]\n"
            + "- rule: Same output B \"quoted\" \\\\ é\n  desc: \"tab\\there\"\n  condition: ct.name exists\n"
            + "  output: '%ct.name by %ct.user.arn from %ct.srcip'\n  priority: ERROR\n  source: aws_cloudtrail\n"
            + "- rule: Other output\n  desc: d\n  condition: ct.name exists\n"
            + "  output: 'agent=%ct.useragent region=%ct.region missing=%ct.error'\n  priority: INFO\n"
            + "  source: aws_cloudtrail\n"
            + "- rule: No fields\n  desc: d\n  condition: ct.name exists\n  output: plain text\n  priority: INFO\n"
            + "  source: aws_cloudtrail\n";

    static List<CloudTrailEvent> fixtureEvents() throws Exception {
        List<CloudTrailEvent> events = new ArrayList<>();
        InputFiles in = new InputFiles(new EventUnwrapper());
        for (Path f : InputFiles.list(List.of(Paths.get("fixtures", "data")), w -> { })) {
            in.read(f, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    events.add(e);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                }
            });
        }
        return events;
    }

    static List<CloudTrailEvent> oddEvents() {
        return List.of(
                event("{\"eventName\":\"X\\u0001\\n\\\"q\\\"\",\"eventID\":\"e1\",\"awsRegion\":\"r\\u2028\","
                        + "\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/é\\ud83d\\ude00\"},"
                        + "\"sourceIPAddress\":\"1.2.3.4\",\"userAgent\":\"a\\tb\\\\c</script>\"}"),
                event("{\"eventName\":\"Y\"}"),
                event("{\"eventName\":\"Z\",\"eventTime\":\"2024-01-02T03:04:05Z\",\"recipientAccountId\":\"123\","
                        + "\"errorCode\":\"AccessDenied\",\"requestParameters\":{\"userName\":\"bob\"}}"));
    }

    /** Every alert's line equals the line written member by member, and the shared path was taken. */
    static int assertLinesEqual(RuleSet rs, List<CloudTrailEvent> events) {
        EvaluationContext ctx = rs.newContext();
        int shared = 0;
        int alerts = 0;
        for (CloudTrailEvent e : events) {
            for (Alert a : rs.evaluate(e, ctx, new ArrayList<>())) {
                alerts++;
                if (a.lineParts() != null) {
                    shared++;
                }
                String line = a.toJson();
                assertThat(line).isEqualTo(AlertJson.writeMembers(a));
                assertThat(line).isEqualTo(a.toBuilder().build().toJson());
                assertThat(Alert.fromJson(line)).isEqualTo(a);
            }
        }
        assertThat(shared).as("alerts built from shared parts").isEqualTo(alerts);
        return alerts;
    }

    @Test
    void bundledPacksOnTheFixtureEventsGiveTheSameLines() throws Exception {
        RuleSet rs = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).orThrow();
        List<CloudTrailEvent> events = fixtureEvents();
        assertThat(events).hasSizeGreaterThan(500);
        assertThat(assertLinesEqual(rs, events)).isGreaterThan(100);
    }

    @Test
    void sharedTemplatesOddCharactersAndAbsentFieldsGiveTheSameLines() throws Exception {
        RuleSet rs = RuleLoader.load(List.of(new RuleSource("t.yaml", RULES)),
                LoadOptions.defaults().bundleVersion("v\"1\" é")).orThrow();
        List<CloudTrailEvent> events = new ArrayList<>(oddEvents());
        events.addAll(fixtureEvents().subList(0, 200));
        assertThat(assertLinesEqual(rs, events)).isEqualTo(4 * events.size());
    }

    @Test
    void alertsOfOneEventShareThePartsOfTheirOutputOnly() {
        RuleSet rs = load(RULES).orThrow();
        EvaluationContext ctx = rs.newContext();
        List<Alert> first = rs.evaluate(oddEvents().get(0), ctx);
        assertThat(first).hasSize(4);
        assertThat(first.get(0).lineParts()).isSameAs(first.get(1).lineParts());
        assertThat(first.get(2).lineParts()).isNotSameAs(first.get(0).lineParts());
        assertThat(first.get(3).lineParts()).isNotSameAs(first.get(2).lineParts());
        List<Alert> next = rs.evaluate(oddEvents().get(1), ctx);
        assertThat(next.get(0).lineParts()).isNotSameAs(first.get(0).lineParts());
        assertThat(next.get(0).toJson()).contains("\"output\":\"Y by <NA> from <NA>\"")
                .doesNotContain("1.2.3.4");
        assertThat(first.get(0).toJson()).contains("1.2.3.4");
    }

    @Test
    void partsAreIgnoredWhenAnyMemberDiffersFromThem() {
        RuleSet rs = load(RULES).orThrow();
        Alert a = rs.evaluate(oddEvents().get(0), rs.newContext()).get(0);
        AlertLineParts p = a.lineParts();
        assertThat(p).isNotNull();
        List<Alert> variants = List.of(
                Alert.builder().rule(a.rule()).parts(p).output("other").build(),
                Alert.builder().rule(a.rule()).parts(p).hostname("elsewhere").build(),
                Alert.builder().rule(a.rule()).parts(p).outputFields(new java.util.LinkedHashMap<>(p.fields)).build(),
                Alert.builder().rule(a.rule()).parts(p).subject(EventSubject.NONE).build(),
                Alert.builder().rule(a.rule()).parts(p).event(new EventReference("x", "t", 0, "a", "r")).build(),
                Alert.builder().rule(a.rule()).parts(p).rate(new RateSummary("count", "c", 1, java.util.Map.of(),
                        1, null, null, null, null, 0, 0, 0, 0, null, null, List.of())).build());
        for (Alert v : variants) {
            assertThat(v.lineParts()).isNull();
            assertThat(v.toJson()).isEqualTo(AlertJson.writeMembers(v));
        }
        assertThat(variants.get(0).toJson()).contains("\"output\":\"other\"");
        assertThat(variants.get(4).toJson()).contains("\"event_id\":\"x\"");
        Alert same = Alert.builder().rule(a.rule()).parts(p).build();
        assertThat(same.lineParts()).isSameAs(p);
        assertThat(same.toJson()).isEqualTo(a.toJson());
    }
}
