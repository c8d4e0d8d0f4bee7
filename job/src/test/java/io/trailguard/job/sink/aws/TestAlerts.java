package io.trailguard.job.sink.aws;

import io.trailguard.job.testing.AlertParts;
import java.util.Set;
import java.util.LinkedHashSet;
import io.trailguard.rules.engine.Alert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alerts for the sink tests. */
final class TestAlerts {
    static final String ACCOUNT = "123456789012";
    static final long T0 = 1_700_000_000_000L; // 2023-11-14T22:13:20Z

    private TestAlerts() {
    }

    static String iso(long millis) {
        return io.trailguard.rules.engine.RuleSet.isoTime(millis);
    }

    /** A single-event alert with a principal ARN, source IP, user agent and bucket. */
    static Alert single(String rule, String eventId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ct.user.arn", "arn:aws:iam::" + ACCOUNT + ":user/alice");
        fields.put("ct.srcip", "203.0.113.7");
        fields.put("ct.useragent", "aws-cli/2.15.0");
        fields.put("s3.bucket", "secret-bucket");
        fields.put("ct.name", "PutBucketPolicy");
        return AlertParts.of(iso(T0), T0, rule, "Warning", "aws_cloudtrail",
                Arrays.asList("aws", "attack.privilege-escalation", "mitre_persistence"),
                "user alice changed the policy of bucket secret-bucket (from 203.0.113.7)", fields,
                "trailguard-test", eventId, ACCOUNT, "eu-west-1");
    }

    static Alert single(int i) {
        return single("Rule " + (i % 7), "evt-" + i);
    }

    /** A rate-rule alert grouped by principal ARN. */
    /** {@code n} distinct single-event alerts, {@link #single(int)} for 0..n-1. */
    static List<Alert> singles(int n) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(single(i));
        }
        return out;
    }

    /** The Security Hub finding ids of {@code alerts}, in their order. */
    static Set<String> findingIds(List<Alert> alerts) {
        Set<String> ids = new LinkedHashSet<>();
        for (Alert a : alerts) {
            ids.add(FindingMapper.findingId(a));
        }
        return ids;
    }

    static Alert rate(String rule, String principal, long windowStart, int count) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("ct.user.arn", principal);
        Map<String, Object> agg = new LinkedHashMap<>();
        agg.put("type", "count");
        agg.put("condition", "> 5");
        agg.put("timespan_ms", 300_000L);
        agg.put("group", group);
        agg.put("count", (long) count);
        agg.put("window_start", iso(windowStart));
        agg.put("window_end", iso(windowStart + 300_000));
        agg.put("first_time", iso(windowStart + 1000));
        agg.put("last_time", iso(windowStart + 2000));
        agg.put("first_event_id", "first-" + count);
        agg.put("last_event_id", "last-" + count);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("e-" + i);
        }
        agg.put("event_ids", ids);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("aggregate.count", (long) count);
        return AlertParts.of(iso(windowStart + 2000), windowStart + 2000, rule, "Critical", "aws_cloudtrail",
                Collections.singletonList("discovery"), count + " failed calls by " + principal, fields,
                "trailguard-test", "last-" + count, ACCOUNT, "us-east-2", agg);
    }

    /** An alert full of hostile text: newlines, control characters, % signs, quotes, emoji, a lone surrogate. */
    static Alert hostile(String eventId, int userAgentChars) {
        StringBuilder ua = new StringBuilder(userAgentChars);
        String unit = "Mozilla/5.0 %s %n %% \"quoted\" \\ \u0000\u0007\u001b[31m \uD83D\uDE00 \r\n";
        while (ua.length() < userAgentChars) {
            ua.append(unit);
        }
        ua.setLength(userAgentChars);
        String evil = "line1\nline2\r\n\ttab \u0000nul %s%d%n 100% \"q\" \\ \uD83D\uDE00 lone:\uD800 end \u2028";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ct.user.arn", "arn:aws:iam::" + ACCOUNT + ":role/Admin\nRole");
        fields.put("ct.useragent", ua.toString());
        fields.put("ct.request", evil);
        fields.put("ct.srcip", "%s%s%s");
        StringBuilder longOutput = new StringBuilder();
        while (longOutput.length() < 5000) {
            longOutput.append(evil).append(' ');
        }
        return AlertParts.of(iso(T0), T0, "Hostile \n rule %s \u0000 " + repeat("x", 300), "Error", "aws_cloudtrail",
                Arrays.asList("attack.defense-evasion", "T1562", "evil\ntag"), longOutput.toString(), fields,
                "host\nname", eventId, ACCOUNT, "us-west-2");
    }

    /** The hand-written edge cases in {@code src/test/resources/sink/edge-alerts.jsonl}, as alert lines. */
    static List<String> edgeCaseLines() {
        try (java.io.InputStream in = TestAlerts.class.getResourceAsStream("/sink/edge-alerts.jsonl")) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String l : text.split("\n")) {
                if (!l.trim().isEmpty()) {
                    out.add(Alert.fromJson(l).toJson()); // as the engine would write it
                }
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String repeat(String s, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(s);
        }
        return b.toString();
    }
}
