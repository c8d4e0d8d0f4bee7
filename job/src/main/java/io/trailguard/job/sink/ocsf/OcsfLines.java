package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.aws.FindingClock;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.util.function.SerializableFunction;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * One OCSF Detection Finding JSON line per alert, for a line output. Its {@link FindingClock} (one per sink
 * instance) stamps each finding with when it is written and tells a later version of a finding id this instance
 * has written (a rate window firing again) from a new one, so the line says Update or Create; after a restart a
 * rate finding's next version is a Create again (an incident's later versions are always Updates). The Security Lake
 * output takes the same findings as JSON trees ({@link #finding}).
 */
public final class OcsfLines implements SerializableFunction<Alert, String> {
    private static final long serialVersionUID = 1L;
    private static final String VERSION_RESOURCE = "io/trailguard/job/version.properties";

    private final DetectionFindingMapper mapper;
    private final FindingClock clock;

    public OcsfLines(DetectionFindingMapper mapper, FindingClock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The lines of this build's Trailguard version, stamped with the system clock. */
    public static OcsfLines system() {
        return new OcsfLines(new DetectionFindingMapper(buildVersion()), FindingClock.system());
    }

    @Override
    public String apply(Alert alert) {
        return JobJson.write(finding(alert));
    }

    /** The finding of the alert, stamped now (the next version of its finding id for this instance). */
    public ObjectNode finding(Alert alert) {
        return mapper.map(alert, clock.next(FindingMapper.findingId(alert)));
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
