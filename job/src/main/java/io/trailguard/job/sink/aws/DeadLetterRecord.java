package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.Json;

import java.io.Serializable;
import java.time.Instant;

/**
 * What an AWS output could not deliver within its retry budget (or what the service refused): one JSON line
 * {@code {"type":"sink_dead_letter","output":"securityhub"|"cloudwatch","id":...,"error_code":...,"error":...,
 * "attempts":N,"time":...,"alert":{...}}} ({@code "line":"..."} instead of {@code "alert"} for CloudWatch Logs lines
 * that are not JSON objects).
 */
public final class DeadLetterRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String SECURITY_HUB = "securityhub";
    public static final String CLOUDWATCH = "cloudwatch";

    private final String output;
    private final String id;
    private final String errorCode;
    private final String error;
    private final int attempts;
    private final long timeMillis;
    private final String payload;

    public DeadLetterRecord(String output, String id, String errorCode, String error, int attempts, long timeMillis,
                            String payload) {
        this.output = output;
        this.id = id;
        this.errorCode = errorCode;
        this.error = error;
        this.attempts = attempts;
        this.timeMillis = timeMillis;
        this.payload = payload;
    }

    public String output() {
        return output;
    }

    /** The finding id (Security Hub) or the log stream (CloudWatch Logs). */
    public String id() {
        return id;
    }

    public String errorCode() {
        return errorCode;
    }

    public String error() {
        return error;
    }

    public int attempts() {
        return attempts;
    }

    public long timeMillis() {
        return timeMillis;
    }

    /** The alert JSON line (Security Hub) or the log line (CloudWatch Logs) that was not delivered. */
    public String payload() {
        return payload;
    }

    public String toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("type", "sink_dead_letter");
        n.put("output", output);
        n.put("id", id);
        n.put("error_code", errorCode);
        n.put("error", error);
        n.put("attempts", attempts);
        n.put("time", Instant.ofEpochMilli(timeMillis).toString());
        JsonNode parsed = null;
        try {
            parsed = payload == null ? null : Json.mapper().readTree(payload);
        } catch (JsonProcessingException | RuntimeException e) {
            parsed = null;
        }
        if (parsed != null && parsed.isObject()) {
            n.set(SECURITY_HUB.equals(output) ? "alert" : "record", parsed);
        } else {
            n.put("line", payload);
        }
        try {
            return Text.repairSurrogates(Json.mapper().writeValueAsString(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DeadLetterRecord{" + output + ", " + id + ", " + errorCode + " after " + attempts + " attempts}";
    }
}
