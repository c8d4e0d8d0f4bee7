package io.trailguard.rules.event;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the whole shared corpora directory ({@code /work/shared/corpora}, see its MANIFEST.md) when it exists, and
 * checks the counts the manifest gives. Skipped when the corpora are absent.
 */
class CorpusInputTest {
    private static final List<Path> CANDIDATES = Arrays.asList(
            Paths.get("..", "..", "shared", "corpora"), Paths.get("..", "shared", "corpora"));

    private static Path root;
    private static final Map<String, Tally> byDirectory = new TreeMap<>();
    private static final List<DeadLetter> deadLetters = new ArrayList<>();
    private static final List<String> warnings = new ArrayList<>();
    private static EventUnwrapper unwrapper;

    /** Events and dead letters of one corpus directory. */
    private static final class Tally {
        long events;
        long eventsWithoutTime;
        long deadLetters;
    }

    @BeforeAll
    static void readCorpora() throws IOException {
        root = CANDIDATES.stream().filter(p -> Files.isRegularFile(p.resolve("MANIFEST.md"))).findFirst().orElse(null);
        if (root == null) {
            return;
        }
        unwrapper = new EventUnwrapper();
        InputFiles input = new InputFiles(unwrapper);
        // The SQS/SNS message bodies have no extension: a directory walk skips them, naming them reads them.
        Path library = root.resolve("aws-cloudtrail-processing-library");
        List<Path> files = InputFiles.list(Arrays.asList(root, library.resolve("SQSMessageBody"),
                library.resolve("SQSMessageBodyWrongFormat")), warnings::add);
        for (Path file : files) {
            Tally tally = byDirectory.computeIfAbsent(directoryOf(file), d -> new Tally());
            input.read(file, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    tally.events++;
                    if (!e.hasTime()) {
                        tally.eventsWithoutTime++;
                    }
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    tally.deadLetters++;
                    deadLetters.add(d);
                }
            });
        }
        report();
    }

    private static String directoryOf(Path file) {
        Path relative = root.relativize(file);
        return relative.getNameCount() > 1 ? relative.getName(0).toString() : "(top level)";
    }

    private static void report() {
        StringBuilder b = new StringBuilder("Corpus input counts (").append(root.toAbsolutePath().normalize())
                .append(")\n");
        b.append(String.format("%-40s %8s %10s %12s%n", "directory", "events", "no time", "dead letters"));
        for (Map.Entry<String, Tally> e : byDirectory.entrySet()) {
            b.append(String.format("%-40s %8d %10d %12d%n", e.getKey(), e.getValue().events,
                    e.getValue().eventsWithoutTime, e.getValue().deadLetters));
        }
        b.append(String.format("%-40s %8d %10d %12d%n", "total", unwrapper.events(), unwrapper.eventsWithoutTime(),
                unwrapper.deadLetters()));
        for (DeadLetter d : deadLetters) {
            b.append("dead letter: ").append(d.toJson()).append('\n');
        }
        for (String w : warnings) {
            b.append("warning: ").append(w).append('\n');
        }
        System.out.print(b);
    }

    private static Tally tally(String directory) {
        Assumptions.assumeTrue(root != null, "shared corpora not found");
        Tally t = byDirectory.get(directory);
        assertThat(t).as("corpus directory %s", directory).isNotNull();
        return t;
    }

    private static List<DeadLetter> deadLettersOf(String fileName) {
        return deadLetters.stream().filter(d -> d.origin().contains(fileName)).collect(Collectors.toList());
    }

    @Test
    void invictusDatasetYieldsAllItsEvents() {
        Tally t = tally("invictus-ir-aws_dataset");

        assertThat(t.events).isEqualTo(2900);
        assertThat(t.deadLetters).isZero();
        assertThat(t.eventsWithoutTime).isZero();
    }

    @Test
    void stratusDetonationLogsYieldAllTheirEvents() {
        Tally t = tally("stratus-red-team");

        assertThat(t.events).isEqualTo(310);
        assertThat(t.deadLetters).isZero();
    }

    @Test
    void theTwoMalformedFilesAreDeadLetteredByName() {
        Assumptions.assumeTrue(root != null, "shared corpora not found");

        assertThat(deadLettersOf("zmallen-cloudtrail2sightings/aws.execution.ec2-user-data.json"))
                .singleElement().satisfies(d -> assertThat(d.reason()).startsWith("invalid JSON at line 112, column 1:"));
        assertThat(deadLettersOf("aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json"))
                .singleElement().satisfies(d -> assertThat(d.reason()).startsWith("invalid JSON at line 37, column 9:"));
    }

    @Test
    void snsMessageBodiesAreDeadLetteredAsNotifications() {
        Assumptions.assumeTrue(root != null, "shared corpora not found");

        assertThat(deadLettersOf("SQSMessageBody")).hasSize(2)
                .allSatisfy(d -> assertThat(d.reason()).startsWith("SNS notification: no CloudTrail records"));
        assertThat(deadLettersOf("SQSMessageBody").get(0).reason()).contains("names S3 objects s3://my-test-bucket/");
    }

    @Test
    void otherCorporaMatchTheManifest() {
        // MANIFEST: 12 parseable records plus 1 malformed file
        assertThat(tally("zmallen-cloudtrail2sightings").events).isEqualTo(12);
        assertThat(tally("zmallen-cloudtrail2sightings").deadLetters).isEqualTo(1);
        // MANIFEST: NDJSON named .json, @timestamp instead of eventTime
        assertThat(tally("otrf-security-datasets").events).isEqualTo(103);
        assertThat(tally("otrf-security-datasets").eventsWithoutTime).isEqualTo(103);
        // MANIFEST: 41 parseable (log files vouch for the misspelled-key fixtures), 1 malformed, 2 SNS bodies
        assertThat(tally("aws-cloudtrail-processing-library").events).isEqualTo(41);
        assertThat(tally("aws-cloudtrail-processing-library").deadLetters).isEqualTo(3);
        // MANIFEST: 22 records in 21 blocks, and 1
        assertThat(tally("awsdocs-cloudtrail-user-guide").events).isEqualTo(22);
        assertThat(tally("awsdocs-eventbridge-user-guide").events).isEqualTo(1);
        // MANIFEST: 475 + 27 lines; those without a (case-sensitive) CloudTrail key are dead letters
        Tally panther = tally("panther-analysis");
        assertThat(panther.events + panther.deadLetters).isEqualTo(475 + 27);
        assertThat(deadLetters).filteredOn(d -> d.origin().contains("panther-analysis"))
                .allSatisfy(d -> assertThat(d.reason()).startsWith("not a CloudTrail record: none of the keys"));
    }
}
