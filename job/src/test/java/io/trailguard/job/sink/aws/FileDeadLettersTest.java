package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.event.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileDeadLettersTest {
    @TempDir
    Path dir;

    @Test
    void undeliveredAlertsAreAppendedAsDeadLetterLinesPerSubtaskAfterATornLine() throws Exception {
        Path first = dir.resolve("dl-0.jsonl");
        Files.write(first, "{\"type\":\"sink_dead_letter\",\"torn".getBytes(StandardCharsets.UTF_8));
        SinkDeadLetters target = SinkDeadLetters.forSpec("file:" + dir.resolve("dl-{subtask}.jsonl"),
                AwsConnection.of("us-east-1", null), false);
        String alert = "{\"rule\":\"r\",\"output\":\"o\"}";

        target.accept(DeadLetter.undelivered(new DeadLetter.Delivery(SinkDeadLetters.SECURITY_HUB, "id-1",
                "InvalidInput", "refused", 1, 0L, "alert", alert)), 0);
        target.accept(DeadLetter.undelivered(new DeadLetter.Delivery(SinkDeadLetters.CLOUDWATCH, "/g:s",
                "InvalidParameterException", "too old", 2, 0L, "record", alert)), 1);

        List<String> zero = Files.readAllLines(first);
        assertThat(zero).hasSize(2);
        assertThat(zero.get(0)).isEqualTo("{\"type\":\"sink_dead_letter\",\"torn");
        JsonNode n = JobJson.mapper().readTree(zero.get(1));
        assertThat(n.get("origin").asText()).isEqualTo("securityhub:id-1");
        assertThat(n.get("alert").toString()).isEqualTo(alert);
        List<String> one = Files.readAllLines(dir.resolve("dl-1.jsonl"));
        assertThat(one).singleElement().satisfies(l ->
                assertThat(JobJson.mapper().readTree(l).get("record").toString()).isEqualTo(alert));
    }
}
