package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.aws.FindingStamps;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.util.function.SerializableFunction;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * One OCSF Detection Finding JSON line per alert, for a line output, with the alert's finding times
 * ({@link FindingStamps#of}: as the pipeline's finding-times stage stamped them, durable across restarts), so a
 * later version of a finding id (a rate window firing again, an incident growing) says Update and a new one Create.
 * The Security Lake output takes the same findings as JSON trees ({@link #finding}).
 */
public final class OcsfLines implements SerializableFunction<Alert, String> {
    private static final long serialVersionUID = 1L;
    private static final String VERSION_RESOURCE = "io/trailguard/job/version.properties";

    private final DetectionFindingMapper mapper;

    public OcsfLines(DetectionFindingMapper mapper) {
        this.mapper = mapper;
    }

    /** The lines of this build's Trailguard version. */
    public static OcsfLines system() {
        return new OcsfLines(new DetectionFindingMapper(buildVersion()));
    }

    @Override
    public String apply(Alert alert) {
        return JobJson.write(finding(alert));
    }

    /** The finding of the alert with its finding times. */
    public ObjectNode finding(Alert alert) {
        return mapper.map(alert, FindingStamps.of(alert));
    }

    private static String buildVersion() {
        Properties p = new Properties();
        try (InputStream in = OcsfLines.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return null; // metadata.product.version is left out
        }
        return p.getProperty("version");
    }
}
