package io.trailguard.job.cli;

import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.EventBridgeEnvelope;
import io.trailguard.job.kinesis.KinesisClients;
import io.trailguard.job.kinesis.RecordBatcher;
import io.trailguard.job.output.OutputLines;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.UUID;

/**
 * Puts CloudTrail events from files (log files, records, JSON lines, gzipped) into a Kinesis stream, each wrapped in
 * an EventBridge envelope as an EventBridge rule target receives it, partition key = eventID. With {@code --raw} each
 * document (a line of a JSON-lines file, or a whole file) is put unchanged, one record each. Input that is not an
 * event is reported on stderr as a dead-letter line and skipped.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "send", sortOptions = false,
        description = "Put CloudTrail events from files into a Kinesis stream as EventBridge envelopes (--raw: each "
                + "document unchanged); input that is not an event is a dead-letter line on stderr.")
final class SendCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-s", "--stream"}, required = true, paramLabel = "NAME",
            description = "the events stream: name or ARN (env TRAILGUARD_EVENTS_STREAM)")
    String stream;

    @Option(names = {"-i", "--input"}, arity = "1..*", split = ",", required = true, paramLabel = "PATH",
            description = "event files or directories; - reads stdin")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--raw", description = "put each document unchanged, one record each")
    boolean raw;

    @Mixin
    AwsOptions aws = new AwsOptions();

    SendCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        aws.into(flags);
        TrailguardConfig config = PublishCommand.clientConfig("send", ConfigKey.EVENTS_STREAM, stream, flags);
        List<Path> paths = new ArrayList<>();
        for (String p : inputs) {
            paths.add(Stdin.DASH.equals(p) ? Stdin.toFile() : Paths.get(p));
        }
        List<Path> files;
        try {
            files = InputFiles.list(paths, w -> cli.err.println("send: warning: " + w));
        } catch (NoSuchFileException e) {
            throw new UsageException("send: input path does not exist: " + e.getFile());
        }
        Tally tally = new Tally(cli);
        try (KinesisClient client = KinesisClients.create(config);
             RecordBatcher batcher = new RecordBatcher(client, config.eventsStream().name())) {
            tally.batcher = batcher;
            if (raw) {
                for (Path f : files) {
                    ReplayInput.file(f.toString()).read(tally::raw);
                }
            } else {
                InputFiles reader = new InputFiles(new EventUnwrapper());
                for (Path f : files) {
                    reader.read(f, tally);
                }
            }
            batcher.flush();
            cli.out.println("sent " + batcher.sent() + " records to " + config.eventsStream() + " ("
                    + (raw ? "raw documents" : "EventBridge envelopes") + "); " + tally.deadLetters
                    + " inputs dead-lettered, " + tally.tooLarge + " too large for a Kinesis record");
        }
        return 0;
    }

    /** Puts what the readers yield and counts what they cannot. */
    private static final class Tally implements EventSink {
        private final Cli cli;
        RecordBatcher batcher;
        long deadLetters;
        long tooLarge;

        Tally(Cli cli) {
            this.cli = cli;
        }

        @Override
        public void event(CloudTrailEvent e) {
            String key = e.eventId() != null && !e.eventId().isEmpty() ? e.eventId() : UUID.randomUUID().toString();
            put(key, JobJson.write(EventBridgeEnvelope.wrap(e)).getBytes(StandardCharsets.UTF_8), e.toString());
        }

        @Override
        public void deadLetter(DeadLetter d) {
            deadLetters++;
            cli.err.println(OutputLines.deadLetter(d));
        }

        void raw(RawRecord r) {
            if (r.failure != null) {
                deadLetter(DeadLetter.of(r.origin, r.failure, r.data));
            } else {
                put(UUID.randomUUID().toString(), r.data, r.origin);
            }
        }

        private void put(String key, byte[] data, String what) {
            try {
                if (!batcher.add(key, data)) {
                    tooLarge++;
                    cli.err.println("send: skipping " + what + ": " + data.length + " bytes is more than a Kinesis "
                            + "record holds (" + RecordBatcher.MAX_RECORD_BYTES + ")");
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", ex);
            }
        }
    }
}
