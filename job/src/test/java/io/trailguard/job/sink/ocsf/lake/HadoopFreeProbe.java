package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Writes a finding to a new Parquet file, as the Security Lake writer does, and returns the file's path; run by
 * {@link OcsfParquetWithoutHadoopTest} in a class loader without Hadoop.
 */
public final class HadoopFreeProbe implements Callable<String> {
    @Override
    public String call() throws Exception {
        Path file = Files.createTempDirectory("hadoop-free").resolve("f.parquet");
        ObjectNode finding = (ObjectNode) JobJson.mapper().readTree("{\"class_uid\":2004,\"time\":1800000000000,"
                + "\"cloud\":{\"region\":\"eu-west-1\",\"account\":{\"uid\":\"123456789012\"}},"
                + "\"finding_info\":{\"uid\":\"probe\",\"types\":[\"TTPs\"]},\"unmapped\":{\"trailguard\":{}}}");
        try (FindingParquetFile out = FindingParquetFile.create(file)) {
            out.write(finding);
        }
        return file.toString();
    }
}
