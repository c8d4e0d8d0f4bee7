package io.trailguard.job.output;

import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.replay.ReplayReport;
import io.trailguard.job.replay.ReplayReports;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The replay's stdout: alerts and dead letters go into the {@link ReplayReport} registered under an id, which the
 * replay command prints in order when the job has ended (instead of lines in arrival order).
 */
public final class ReplayReportOutput implements PipelineOutput {
    private final String reportId;

    public ReplayReportOutput(String reportId) {
        this.reportId = reportId;
    }

    @Override
    public String spec() {
        return "stdout";
    }

    @Override
    public void attach(DetectionStreams streams) {
        streams.alerts().sinkTo(new ReportSink<Alert>(reportId, true)).name("Alerts to the replay report")
                .uid("sink-replay-report-alerts");
        streams.deadLetters().sinkTo(new ReportSink<DeadLetter>(reportId, false))
                .name("Dead letters to the replay report").uid("sink-replay-report-dead-letters");
    }

    /** Adds alerts (or dead letters) to the report. */
    static final class ReportSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String reportId;
        private final boolean alerts;

        ReportSink(String reportId, boolean alerts) {
            this.reportId = reportId;
            this.alerts = alerts;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return new Writer<>(ReplayReports.get(reportId), alerts);
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new Writer<>(ReplayReports.get(reportId), alerts);
        }
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final ReplayReport report;
        private final boolean alerts;

        Writer(ReplayReport report, boolean alerts) {
            this.report = report;
            this.alerts = alerts;
        }

        @Override
        public void write(T element, Context context) {
            if (alerts) {
                report.add((Alert) element);
            } else {
                report.addDeadLetter((DeadLetter) element);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() {
        }
    }
}
