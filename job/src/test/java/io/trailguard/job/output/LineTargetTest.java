package io.trailguard.job.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code file:} output across restarts: it appends, and a line torn by a killed process stays on its own. */
class LineTargetTest {
    @Test
    void aRestartAppendsAndKeepsEveryEarlierLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out").resolve("alerts.jsonl");
        try (LineTarget.LineWriter w = LineTarget.file(file.toString()).open()) {
            w.write("{\"run\":1}");
        }
        try (LineTarget.LineWriter w = LineTarget.file(file.toString()).open()) {
            w.write("{\"run\":2}");
        }
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly("{\"run\":1}", "{\"run\":2}");
    }

    @Test
    void aLineTornByAKillIsEndedBeforeTheNextRunAppends(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        Files.write(file, "{\"run\":1}\n{\"run\":1,\"cut".getBytes(StandardCharsets.UTF_8));
        try (LineTarget.LineWriter w = LineTarget.file(file.toString()).open()) {
            w.write("{\"run\":2}");
        }
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactly("{\"run\":1}", "{\"run\":1,\"cut", "{\"run\":2}");
        try (LineTarget.LineWriter w = LineTarget.file(file.toString()).open()) {
            w.write("{\"run\":3}");
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
                .isEqualTo("{\"run\":1}\n{\"run\":1,\"cut\n{\"run\":2}\n{\"run\":3}\n");
    }
}
