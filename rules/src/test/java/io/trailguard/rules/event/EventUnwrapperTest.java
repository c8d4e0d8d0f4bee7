package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventUnwrapperTest {
    private static final String RECORD_A = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:42:05Z\","
            + "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\",\"awsRegion\":\"us-east-1\","
            + "\"eventID\":\"a\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111111111111\"}";
    private static final String RECORD_B = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:43:00Z\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventID\":\"b\"}";
    private static final String RECORD_C = "{\"eventTime\":\"2023-07-10T11:44:00Z\",\"eventName\":\"StopLogging\","
            + "\"eventID\":\"c\"}";

    private final RecordingSink sink = new RecordingSink();
    private final EventUnwrapper unwrapper = new EventUnwrapper();

    private void unwrap(String json) {
        unwrapper.unwrap(json.getBytes(StandardCharsets.UTF_8), "test", sink);
    }

    private List<String> eventIds() {
        return sink.events.stream().map(CloudTrailEvent::eventId).collect(Collectors.toList());
    }

    // ---- shapes ----

    @Test
    void rawRecordIsOneEvent() {
        unwrap(RECORD_A);

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.events).hasSize(1);
        CloudTrailEvent e = sink.events.get(0);
        assertThat(e.eventName()).isEqualTo("CreateUser");
        assertThat(e.timeMillis()).isEqualTo(Instant.parse("2023-07-10T11:42:05Z").toEpochMilli());
        assertThat(e.envelopeAccount()).isNull();
        assertThat(e.envelopeDetailType()).isNull();
        assertThat(e.number()).isEqualTo(1);
    }

    @Test
    void eventBridgeEnvelopeYieldsDetailWithEnvelopeAttributes() {
        unwrap("{\"version\":\"0\",\"id\":\"6f1d\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws.iam\",\"account\":\"222233334444\",\"time\":\"2026-01-01T12:00:00Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[],"
                + "\"detail\":{\"eventVersion\":\"1.08\",\"eventSource\":\"iam.amazonaws.com\","
                + "\"eventName\":\"CreateAccessKey\",\"eventID\":\"e1\"}}");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.events).hasSize(1);
        CloudTrailEvent e = sink.events.get(0);
        assertThat(e.record().get("eventName").asText()).isEqualTo("CreateAccessKey");
        assertThat(e.record().has("detail-type")).as("the record is detail, not the envelope").isFalse();
        assertThat(e.envelopeAccount()).isEqualTo("222233334444");
        assertThat(e.envelopeRegion()).isEqualTo("eu-west-1");
        assertThat(e.envelopeTime()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(e.envelopeDetailType()).isEqualTo("AWS API Call via CloudTrail");
        // the record has no account, region or time: the envelope's are used
        assertThat(e.account()).isEqualTo("222233334444");
        assertThat(e.region()).isEqualTo("eu-west-1");
        assertThat(e.timeMillis()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z").toEpochMilli());
    }

    @Test
    void envelopeFromCloudTrailDetailTypeNeedsNoCoreKey() {
        unwrap("{\"detail-type\":\"AWS Console Signin via CloudTrail\",\"source\":\"aws.signin\","
                + "\"detail\":{\"odd\":1}}");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void envelopeOfAnotherServiceIsDeadLettered() {
        unwrap("{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
                + "\"detail\":{\"instance-id\":\"i-1\",\"state\":\"running\"}}");

        assertThat(sink.events).isEmpty();
        assertThat(sink.onlyDeadLetter().reason())
                .startsWith("EventBridge event is not from CloudTrail: detail-type \"EC2 Instance State-change"
                        + " Notification\", source \"aws.ec2\"");
    }

    @Test
    void envelopeWithNonObjectDetailIsDeadLettered() {
        unwrap("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\",\"detail\":\"x\"}");

        assertThat(sink.onlyDeadLetter().reason())
                .isEqualTo("EventBridge envelope: \"detail\" is a string, not an object");
    }

    @Test
    void envelopeWithEmptyDetailIsDeadLettered() {
        unwrap("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\",\"detail\":{}}");

        assertThat(sink.events).isEmpty();
        assertThat(sink.onlyDeadLetter().reason())
                .isEqualTo("EventBridge envelope: \"detail\" is an empty object, not a CloudTrail record");
    }

    @Test
    void envelopeWithNullDetailIsDeadLettered() {
        unwrap("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\",\"detail\":null}");

        assertThat(sink.events).isEmpty();
        assertThat(sink.onlyDeadLetter().reason())
                .isEqualTo("EventBridge envelope: \"detail\" is null, not an object");
    }

    @Test
    void envelopeWithoutDetailIsDeadLetteredAsAnEnvelope() {
        unwrap("{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\","
                + "\"account\":\"1\"}");

        assertThat(sink.events).isEmpty();
        assertThat(sink.onlyDeadLetter().reason()).isEqualTo("EventBridge envelope without \"detail\": no CloudTrail "
                + "record (detail-type \"AWS API Call via CloudTrail\", source \"aws.iam\")");
    }

    @Test
    void envelopeWithEmptyDetailInAnArrayDoesNotLoseTheOthers() {
        unwrap("[{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\",\"detail\":{}},"
                + RECORD_A + "]");

        assertThat(eventIds()).containsExactly("a");
        assertThat(sink.onlyDeadLetter().origin()).isEqualTo("test#/0");
    }

    @Test
    void logFileYieldsEveryRecord() {
        unwrap("{\"Records\":[" + RECORD_A + "," + RECORD_B + "," + RECORD_C + "]}");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(eventIds()).containsExactly("a", "b", "c");
    }

    @Test
    void badElementInRecordsDoesNotLoseTheOthers() {
        unwrap("{\"Records\":[" + RECORD_A + ",42,{}," + RECORD_B + ",[1]]}");

        assertThat(eventIds()).containsExactly("a", "b");
        assertThat(sink.deadLetters).extracting(DeadLetter::origin)
                .containsExactly("test#/Records/1", "test#/Records/2", "test#/Records/4");
        assertThat(sink.deadLetters).extracting(DeadLetter::reason).containsExactly(
                "CloudTrail log file: Records[1] is a number, not a record",
                "CloudTrail log file: Records[2] is an empty object, not a record",
                "CloudTrail log file: Records[4] is an array, not a record");
        assertThat(sink.deadLetters.get(0).excerpt()).isEqualTo("42");
    }

    @Test
    void emptyRecordsYieldsNothing() {
        unwrap("{\"Records\":[]}");

        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void recordsThatIsNotAnArrayIsDeadLettered() {
        unwrap("{\"Records\":{\"eventName\":\"x\"}}");

        assertThat(sink.onlyDeadLetter().reason()).isEqualTo("CloudTrail log file: \"Records\" is an object, not an array");
    }

    @Test
    void arrayOfRecordsAsStratusPublishesThem() {
        unwrap("[" + RECORD_A + ",\"oops\"," + RECORD_B + "]");

        assertThat(eventIds()).containsExactly("a", "b");
        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.origin()).isEqualTo("test#/1");
        assertThat(d.reason()).isEqualTo("array element is not an object but a string");
        assertThat(d.excerpt()).isEqualTo("\"oops\"");
    }

    @Test
    void arrayElementsAreClassifiedOnTheirOwn() {
        unwrap("[{\"Records\":[" + RECORD_A + "]},{\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"account\":\"1\",\"detail\":" + RECORD_B + "},{\"hello\":\"world\"}]");

        assertThat(eventIds()).containsExactly("a", "b");
        assertThat(sink.events.get(1).envelopeAccount()).isEqualTo("1");
        assertThat(sink.onlyDeadLetter().origin()).isEqualTo("test#/2");
    }

    @Test
    void wrapperWithRecordUnderEventIsUnwrapped() {
        unwrap("{\"rule_id\":\"AWS.CloudTrail.Stopped\",\"test_name\":\"stopped\",\"expected\":true,"
                + "\"event\":" + RECORD_C + ",\"mocks\":[]}");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(eventIds()).containsExactly("c");
        assertThat(sink.events.get(0).record().has("rule_id")).isFalse();
    }

    @Test
    void wrapperWithLogFileUnderEventIsUnwrapped() {
        unwrap("{\"doc\":\"doc_source/x.md\",\"block\":0,\"kind\":\"cloudtrail\",\"event\":{\"Records\":["
                + RECORD_A + "," + RECORD_B + "]}}");

        assertThat(eventIds()).containsExactly("a", "b");
    }

    @Test
    void wrapperWhoseEventIsNotARecordIsDeadLetteredAtEvent() {
        unwrap("{\"rule_id\":\"r\",\"event\":{\"p_log_type\":\"AWS.CloudTrail\",\"p_enrichment\":{}}}");

        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.origin()).isEqualTo("test#/event");
        assertThat(d.reason()).startsWith("not a CloudTrail record: none of the keys eventVersion")
                .endsWith("(has p_log_type, p_enrichment)");
    }

    @Test
    void objectWithCoreKeyAndEventKeyIsARecordNotAWrapper() {
        unwrap("{\"eventName\":\"X\",\"event\":" + RECORD_A + "}");

        assertThat(sink.events).hasSize(1);
        assertThat(sink.events.get(0).eventName()).isEqualTo("X");
    }

    @Test
    void snsNotificationIsDeadLetteredNamingTheS3Objects() {
        String message = "{\\\"s3Bucket\\\":\\\"my-test-bucket\\\",\\\"s3ObjectKey\\\":"
                + "[\\\"AWSLogs/1/CloudTrail/a.json.gz\\\",\\\"AWSLogs/1/CloudTrail/b.json.gz\\\"]}";
        unwrap("{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":\"" + message + "\"}");

        assertThat(sink.events).isEmpty();
        assertThat(sink.onlyDeadLetter().reason()).isEqualTo("SNS notification: no CloudTrail records (names S3 objects"
                + " s3://my-test-bucket/AWSLogs/1/CloudTrail/a.json.gz, s3://my-test-bucket/AWSLogs/1/CloudTrail/b.json.gz;"
                + " read those log files instead)");
    }

    @Test
    void snsNotificationWithoutMessageIsDeadLettered() {
        unwrap("{\"Type\":\"Notification\",\"Messagess\":\"{}\"}");

        assertThat(sink.onlyDeadLetter().reason())
                .isEqualTo("SNS notification: no CloudTrail records (and no \"Message\" string)");
    }

    // ---- leniency ----

    @Test
    void oddRecordsStillFlow() {
        unwrap("{\"Records\":["
                + "{\"eventVersionWrong\":\"1.1\",\"eventNameWrong\":\"x\"},"           // log file vouches for it
                + "{\"eventVersion\":\"1.1\",\"userIdentity\":null,\"eventTime\":null,\"eventName\":null},"
                + "{\"eventName\":\"GetObject\",\"@timestamp\":\"2020-09-14T01:19:40.000Z\"},"
                + "{\"eventType\":\"AwsCloudTrailInsight\",\"eventTime\":\"2023-01-01T00:00:00Z\"},"
                + "{\"eventName\":\"NoType\",\"eventTime\":\"2023-01-01T00:00:00Z\"}"
                + "]}");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.events).hasSize(5);
        assertThat(sink.events).filteredOn(e -> !e.hasTime()).hasSize(3);
        assertThat(unwrapper.eventsWithoutTime()).isEqualTo(3);
        assertThat(unwrapper.events()).isEqualTo(5);
    }

    @Test
    void standaloneObjectNeedsOneCoreKey() {
        unwrap("{\"@timestamp\":\"2020-09-14T01:19:40.000Z\",\"awsRegion\":\"us-east-1\"}");
        unwrap("{\"eventNameWrong\":\"x\"}");

        assertThat(sink.events).hasSize(1);
        assertThat(sink.onlyDeadLetter().reason()).startsWith("not a CloudTrail record");
    }

    @Test
    void lowercaseKeysAreNotARecordButTheReasonSaysWhy() {
        unwrap("{\"eventname\":\"CreateUser\",\"eventsource\":\"iam.amazonaws.com\"}");

        assertThat(sink.onlyDeadLetter().reason())
                .contains("keys eventsource, eventname differ from CloudTrail keys only in letter case");
    }

    @Test
    void digestFileIsNamedAsSuch() {
        unwrap("{\"awsAccountId\":\"1\",\"digestStartTime\":\"2023-01-01T00:00:00Z\",\"logFiles\":[]}");

        assertThat(sink.onlyDeadLetter().reason()).contains("CloudTrail digest file");
    }

    // ---- bad input ----

    @Test
    void malformedJsonReportsLineAndColumnWithoutSourceDump() {
        unwrap("{\"Records\":[\n  {\"eventName\":\"a\"}\n  {\"eventName\":\"b\"}\n]}");

        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.origin()).isEqualTo("test");
        assertThat(d.reason()).startsWith("invalid JSON at line 3, column 3: Unexpected character ('{'")
                .doesNotContain("Source:").doesNotContain("[Source");
        assertThat(d.excerpt()).startsWith("{\"Records\":[\\n  {");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void truncatedJsonIsOneDeadLetter() {
        unwrap("{\"Records\":[" + RECORD_A + ",{\"eventName\":\"Trunc");

        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.reason()).startsWith("invalid JSON at line 1, column ")
                .contains("end-of-input");
    }

    @Test
    void trailingGarbageIsInvalid() {
        unwrap(RECORD_A + " garbage");

        assertThat(sink.onlyDeadLetter().reason()).startsWith("invalid JSON");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void scalarsAreDeadLettered() {
        for (String scalar : new String[] {"42", "\"text\"", "null", "true"}) {
            unwrap(scalar);
        }

        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters).extracting(DeadLetter::reason).containsExactly(
                "not a CloudTrail record: a number, not an object or array",
                "not a CloudTrail record: a string, not an object or array",
                "not a CloudTrail record: null, not an object or array",
                "not a CloudTrail record: a boolean, not an object or array");
    }

    @Test
    void emptyInputIsDeadLettered() {
        unwrapper.unwrap(new byte[0], "k", sink);
        unwrapper.unwrap("   \n ".getBytes(StandardCharsets.UTF_8), "k", sink);
        unwrapper.unwrap((JsonNode) null, "k", sink);

        assertThat(sink.deadLetters).hasSize(3)
                .allSatisfy(d -> assertThat(d.reason()).isEqualTo("empty input: no JSON document"));
    }

    @Test
    void binaryGarbageIsDeadLetteredWithEscapedExcerpt() {
        byte[] garbage = new byte[300];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37 + 3);
        }
        unwrapper.unwrap(garbage, "shard-0001:49590", sink);

        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.origin()).isEqualTo("shard-0001:49590");
        assertThat(d.reason()).startsWith("invalid JSON");
        assertThat(d.excerpt()).doesNotContainPattern("\\p{Cntrl}");
    }

    @Test
    void gzipBytesGetAHint() {
        byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2};
        unwrapper.unwrap(gz, "k", sink);

        assertThat(sink.onlyDeadLetter().reason()).startsWith("gzip-compressed data: decompress it first");
    }

    @Test
    void nestingBeyondTheLimitIsDeadLettered() {
        StringBuilder deep = new StringBuilder("{\"eventName\":");
        for (int i = 0; i < Json.MAX_NESTING_DEPTH + 10; i++) {
            deep.append('[');
        }
        unwrap(deep.toString());

        assertThat(sink.onlyDeadLetter().reason()).startsWith("invalid JSON").contains("nesting depth");
    }

    @Test
    void textInputReportsItsLineNumber() {
        unwrapper.unwrapLine("{\"a\":", "f.jsonl:7", 7, sink);

        assertThat(sink.onlyDeadLetter().reason()).startsWith("invalid JSON at line 7, column ");
    }

    // ---- numbering ----

    @Test
    void eventNumbersComeFromTheCallersCounterAndSkipDeadLetters() {
        AtomicLong counter = new AtomicLong(100);
        EventUnwrapper numbered = new EventUnwrapper(counter::incrementAndGet);

        numbered.unwrap(("[" + RECORD_A + ",1," + RECORD_B + "]").getBytes(StandardCharsets.UTF_8), "x", sink);
        numbered.unwrap(RECORD_C, "y", sink);

        assertThat(sink.events).extracting(CloudTrailEvent::number).containsExactly(101L, 102L, 103L);
        assertThat(counter.get()).isEqualTo(103);
        assertThat(numbered.deadLetters()).isEqualTo(1);
    }

    @Test
    void defaultNumberingStartsAtOne() {
        unwrap("{\"Records\":[" + RECORD_A + "," + RECORD_B + "]}");
        unwrap(RECORD_C);

        assertThat(sink.events).extracting(CloudTrailEvent::number).containsExactly(1L, 2L, 3L);
    }

    // ---- DeadLetter ----

    @Test
    void deadLetterExcerptIsCutAndEscaped() {
        StringBuilder input = new StringBuilder("a\tb\nc\r\u0000\u001b\u2028");
        while (input.length() < 500) {
            input.append('x');
        }
        DeadLetter d = DeadLetter.of("o", "line one\nline two", input);

        assertThat(d.excerpt()).startsWith("a\\tb\\nc\\r\\u0000\\u001b\\u2028xxx");
        assertThat(d.excerpt()).hasSize(DeadLetter.EXCERPT_CHARS + 3 * 1 + 3 * 5);
        assertThat(d.reason()).isEqualTo("line one\\nline two");
    }

    @Test
    void deadLetterExcerptNeverSplitsASurrogatePair() {
        String input = String.join("", Collections.nCopies(DeadLetter.EXCERPT_CHARS - 1, "x")) + "\ud83e\udd16tail";
        DeadLetter d = DeadLetter.of("o", "r", input);

        assertThat(d.excerpt()).hasSize(DeadLetter.EXCERPT_CHARS - 1);
    }

    @Test
    void deadLetterOfHugeNodeKeepsOnlyThePrefix() throws Exception {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            big.append(i == 0 ? "" : ",").append("\"value-").append(i).append('"');
        }
        JsonNode node = Json.mapper().readTree(big.append(']').toString());

        DeadLetter d = DeadLetter.of("o", "r", node);

        assertThat(d.excerpt()).hasSize(DeadLetter.EXCERPT_CHARS).startsWith("[\"value-0\",\"value-1\"");
    }

    @Test
    void deadLetterToJsonIsCompact() throws Exception {
        DeadLetter d = DeadLetter.of("logs/a.json:12", "invalid \"JSON\"", "{\n");

        assertThat(d.toJson()).isEqualTo("{\"origin\":\"logs/a.json:12\",\"reason\":\"invalid \\\"JSON\\\"\","
                + "\"excerpt\":\"{\\\\n\"}");
        JsonNode back = Json.mapper().readTree(d.toJson());
        assertThat(back.get("excerpt").asText()).isEqualTo("{\\n");
    }

    @Test
    void deadLetterIsSerializable() throws Exception {
        DeadLetter d = DeadLetter.of("shard-0001:49590", "reason", "excerpt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }

        assertThat(back).isEqualTo(d);
        assertThat(back.hashCode()).isEqualTo(d.hashCode());
    }

    /** Keeps everything it receives. */
    static final class RecordingSink implements EventSink {
        final List<CloudTrailEvent> events = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        @Override
        public void event(CloudTrailEvent e) {
            events.add(e);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            deadLetters.add(d);
        }

        DeadLetter onlyDeadLetter() {
            assertThat(deadLetters).as("dead letters (events: %s)", events).hasSize(1);
            return deadLetters.get(0);
        }
    }
}
