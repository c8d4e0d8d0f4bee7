package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one dead-letter line: input and undelivered alerts share type, origin and reason. */
class DeadLetterTest {
    private static List<String> keys(String line) throws Exception {
        JsonNode n = Json.mapper().readTree(line);
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void inputLinesAreTypeOriginReasonExcerpt() throws Exception {
        DeadLetter d = DeadLetter.of("logs/a.json:12", "invalid JSON at line 1, column 2", "{\n");

        assertThat(d.type()).isEqualTo("dead_letter");
        assertThat(d.delivery()).isNull();
        assertThat(d.toJsonLine()).isEqualTo("{\"type\":\"dead_letter\",\"origin\":\"logs/a.json:12\","
                + "\"reason\":\"invalid JSON at line 1, column 2\",\"excerpt\":\"{\\\\n\"}");
        assertThat(d.toJsonLine()).isEqualTo("{\"type\":\"dead_letter\"," + d.toJson().substring(1));
    }

    @Test
    void undeliveredAlertsCarryTheDeliveryAndTheWholePayload() throws Exception {
        String alert = "{\"rule\":\"Create IAM User\",\"output\":\"x\"}";
        DeadLetter d = DeadLetter.undelivered(new DeadLetter.Delivery("securityhub", "trailguard/5c1", "InvalidInput",
                "bad\nfinding", 1, 1_764_355_646_015L, "alert", alert));

        assertThat(d.type()).isEqualTo("sink_dead_letter");
        assertThat(d.origin()).isEqualTo("securityhub:trailguard/5c1");
        assertThat(d.reason()).isEqualTo("bad\\nfinding");
        String line = d.toJsonLine();
        assertThat(keys(line)).containsExactly("type", "origin", "reason", "output", "id", "error_code", "error",
                "attempts", "time", "alert");
        JsonNode n = Json.mapper().readTree(line);
        assertThat(n.get("error").asText()).isEqualTo("bad\nfinding");
        assertThat(n.get("attempts").asInt()).isEqualTo(1);
        assertThat(n.get("time").asText()).isEqualTo("2025-11-28T18:47:26.015Z");
        assertThat(n.get("alert").toString()).isEqualTo(alert);
    }

    @Test
    void aPayloadThatIsNoJsonObjectIsKeptAsALineAndUnpairedSurrogatesAreRepaired() throws Exception {
        DeadLetter d = DeadLetter.undelivered(new DeadLetter.Delivery("cloudwatch", "/g:s", "InvalidParameter",
                "too old", 2, 0L, "record", "plain text \ud800 line"));

        JsonNode n = Json.mapper().readTree(d.toJsonLine());
        assertThat(n.has("record")).isFalse();
        assertThat(n.get("line").asText()).isEqualTo("plain text \uFFFD line");
        assertThat(new String(d.toJsonLine().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(d.toJsonLine());
    }
}
