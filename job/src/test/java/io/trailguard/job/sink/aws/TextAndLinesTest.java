package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextAndLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String s = TestAlerts.repeat("a\uD83D\uDE00", 100); // 300 UTF-16 units
        for (int max = 1; max < 40; max++) {
            String t = Text.truncateChars(s, max);
            assertThat(t.length()).isLessThanOrEqualTo(max);
            assertThat(FakeAwsEndpoint.hasLoneSurrogate(t)).as("max %d", max).isFalse();
            String u = Text.truncateUtf8(s, max);
            assertThat(u.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
            assertThat(FakeAwsEndpoint.hasLoneSurrogate(u)).isFalse();
        }
        assertThat(Text.truncateChars("short", 10)).isEqualTo("short");
        assertThat(Text.truncateChars("abcdef", 4)).isEqualTo("abc" + Text.ELLIPSIS);
        assertThat(Text.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void loneSurrogatesAreRepaired() {
        assertThat(Text.repairSurrogates("ok\uD83D\uDE00")).isEqualTo("ok\uD83D\uDE00");
        assertThat(Text.repairSurrogates("a\uD800b\uDC00c\uD83D")).isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
        assertThat(Text.oneLine("a\nb\u0000c\u2028d")).isEqualTo("a b c d");
    }

    @Test
    void sdkJsonSizeCountsEscapes() {
        assertThat(SdkJsonSize.string("abc")).isEqualTo(5);
        assertThat(SdkJsonSize.string("\"\\")).isEqualTo(6);
        assertThat(SdkJsonSize.string("\n")).isEqualTo(8);
        assertThat(SdkJsonSize.string("\u00e9\uD83D\uDE00")).isEqualTo(2 + 2 + 4);
    }

    @Test
    void shortLinesAreUnchanged() {
        String line = TestAlerts.single(1).toJson();
        assertThat(JsonLineFitter.fit(line, 262_118)).isEqualTo(line);
        assertThat(JsonLineFitter.fit("", 1000)).isEqualTo("{}");
    }

    @Test
    void oversizedAlertLinesAreCutAndStayValidJson() throws Exception {
        Alert a = TestAlerts.hostile("evt-1", 1_048_576);
        String line = a.toJson();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(1_000_000);
        String fitted = JsonLineFitter.fit(line, 262_118);
        assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(262_118);
        assertThat(fitted).doesNotContain("\n", "\r");
        assertThat(FakeAwsEndpoint.hasLoneSurrogate(fitted)).isFalse();
        JsonNode n = JSON.readTree(fitted);
        assertThat(n.path("truncated").asBoolean()).isTrue();
        assertThat(n.path("rule").asText()).isEqualTo(a.rule().name());
        assertThat(n.path("event_id").asText()).isEqualTo("evt-1");
        assertThat(n.path("output").asText()).isEqualTo(Text.repairSurrogates(a.output()));
        assertThat(n.path("output_fields").path("ct.useragent").asText()).startsWith("Mozilla/5.0 %s %n %%")
                .endsWith(Text.ELLIPSIS);
        // the line is still an alert
        assertThat(Alert.fromJson(fitted).event().id()).isEqualTo("evt-1");
    }

    @Test
    void hugeArraysAndNonJsonLinesFit() throws Exception {
        Alert rate = TestAlerts.rate("R", "p", TestAlerts.T0, 60_000);
        String fitted = JsonLineFitter.fit(rate.toJson(), 100_000);
        assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100_000);
        JsonNode n = JSON.readTree(fitted);
        assertThat(n.path("aggregate").path("event_ids").size()).isLessThan(60_000);
        assertThat(n.path("aggregate").path("count").asLong()).isEqualTo(60_000);

        String text = TestAlerts.repeat("plain \u00e9 text ", 100_000);
        String cut = JsonLineFitter.fit(text, 5000);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(5000);
        assertThat(text).startsWith(cut.substring(0, cut.length() - 1));

        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < 20_000; i++) {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        String many = keys.append('}').toString();
        String stub = JsonLineFitter.fit(many, 2000);
        assertThat(stub.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2000);
        assertThat(JSON.readTree(stub).path("truncated").asBoolean()).isTrue();
    }

    @Test
    void logBatchesAreSortedClampedAndSplitAtOneDay() {
        long now = TestAlerts.T0;
        List<LogLine> in = new ArrayList<>();
        in.add(new LogLine(now - 30 * LogBatches.DAY, "ancient"));   // clamped to 13 days ago
        in.add(new LogLine(now - 2 * LogBatches.DAY, "b"));
        in.add(new LogLine(now + 5 * LogBatches.HOUR, "future"));    // clamped to +1 h
        in.add(new LogLine(now, "c"));
        in.add(new LogLine(now - 2 * LogBatches.DAY, "b2"));
        List<List<LogLine>> out = LogBatches.prepare(in, now);
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).extracting(LogLine::message).containsExactly("ancient");
        assertThat(out.get(0).get(0).timestamp()).isEqualTo(now - LogBatches.MAX_AGE);
        assertThat(out.get(1)).extracting(LogLine::message).containsExactly("b", "b2");
        assertThat(out.get(2)).extracting(LogLine::message).containsExactly("c", "future");
        assertThat(out.get(2).get(1).timestamp()).isEqualTo(now + LogBatches.MAX_AHEAD);
        for (List<LogLine> chunk : out) {
            assertThat(chunk.get(chunk.size() - 1).timestamp() - chunk.get(0).timestamp())
                    .isLessThanOrEqualTo(LogBatches.DAY);
        }
    }
}
