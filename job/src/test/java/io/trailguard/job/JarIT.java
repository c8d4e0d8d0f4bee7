package io.trailguard.job;

import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The built jar, as a user runs it: {@code java -jar job/target/trailguard.jar} with no arguments. */
class JarIT {
    @Test
    void noArgumentRunPrintsOnlyAlertLinesOnStdout() throws Exception {
        Path jar = Paths.get("target", "trailguard.jar");
        assertThat(jar).as("built by mvn package").exists();
        Path out = Files.createTempFile("trailguard-out", ".txt");
        Path err = Files.createTempFile("trailguard-err", ".txt");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished within 2 minutes").isTrue();
        String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(Alert.fromJson(l).rule()).isNotBlank());
        assertThat(stderr).contains("replay: 2 files, 16 events read, 0 dead-lettered, 1 duplicates dropped, "
                + lines.size() + " alerts");
    }
}
