package io.trailguard.rules.packs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rules/COVERAGE.md is generated from the packs and fixtures and must be current. Regenerate it with
 * {@code mvn -q -pl rules test -Dtest=CoverageDocTest -Dtrailguard.coverage.write=true}.
 */
class CoverageDocTest {
    @Test
    void coverageDocumentIsCurrent() throws IOException {
        String generated = CoverageReport.generate();
        if (Boolean.getBoolean("trailguard.coverage.write")) {
            Files.write(CoverageReport.FILE, generated.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(CoverageReport.FILE).as("COVERAGE.md is missing: run with -Dtrailguard.coverage.write=true").exists();
        String committed = new String(Files.readAllBytes(CoverageReport.FILE), StandardCharsets.UTF_8);
        assertThat(committed).as("COVERAGE.md is stale: rerun with -Dtrailguard.coverage.write=true")
                .isEqualTo(generated);
    }
}
