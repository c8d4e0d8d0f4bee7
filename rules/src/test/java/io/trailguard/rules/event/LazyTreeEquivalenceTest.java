package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The lazy tree ({@link JsonSubset}, {@link LazyMembers}) against {@code readTree}: for every document here the
 * subset accepts only what {@code readTree} accepts, the trees are equal (equals both ways, hashCode, JSON text),
 * and unwrapping gives the same events and the same dead letters as the whole-tree unwrapper, for whole documents
 * and for lines. Documents: the project's fixtures and samples, the hostile-input record, mutants of records
 * (every truncation, byte flips, escapes, UTF-8, numbers, nesting, duplicate keys, trailing bytes, BOM, whitespace)
 * and the shared corpora (skipped when absent, a failure when absent under {@code CI=true}).
 */
class LazyTreeEquivalenceTest {
    private static final long SEED = Long.getLong("trailguard.fuzz.seed", 20261203L);
    private static final String RECORD = ("{'eventVersion':'1.08','userIdentity':{'type':'AssumedRole',"
            + "'arn':'arn:aws:sts::1:assumed-role/Admin/s','accountId':'111122223333','sessionContext':{"
            + "'sessionIssuer':{'userName':'Admin'},'attributes':{'mfaAuthenticated':'false'}}},"
            + "'eventTime':'2023-07-10T11:42:05Z','eventSource':'ec2.amazonaws.com',"
            + "'eventName':'AuthorizeSecurityGroupIngress','awsRegion':'us-east-1','sourceIPAddress':'1.2.3.4',"
            + "'requestParameters':{'ipPermissions':{'items':[{'ipRanges':{'items':[{'cidrIp':'0.0.0.0/0'}]},"
            + "'fromPort':22,'toPort':-1}]},'count':2147483648,'ratio':0.5,'empty':{},'none':[],'n':null},"
            + "'resources':[{'ARN':'arn:aws:ec2:us-east-1:1:sg/sg-1'}],'eventID':'x1','readOnly':false,"
            + "'managementEvent':true,'recipientAccountId':'111122223333'}").replace('\'', '"');

    /** How many documents went each way, so no part of the test passes vacuously. */
    private static final class Tally {
        int lazy;
        int whole;
        /** Documents that readTree reads as an object: what the lazy path is for. */
        int objects;
    }

    @Test
    void fixturesAndSamplesGiveEqualTreesEventsAndDeadLetters() throws IOException {
        Tally t = new Tally();
        List<Path> dirs = Arrays.asList(Paths.get("fixtures"), Paths.get("src", "test", "resources"),
                Paths.get("..", "job", "src", "main", "resources", "io", "trailguard", "job", "samples"),
                Paths.get("..", "job", "src", "test", "resources"));
        int files = 0;
        for (Path dir : dirs) {
            for (Path f : jsonFiles(dir)) {
                files++;
                documentsOf(f, t);
            }
        }
        assertEquivalent(RECORD.getBytes(StandardCharsets.UTF_8), "hostile-input record", t);
        System.out.printf("fixtures: %d files, %d documents on the lazy path, %d on the whole-tree path, %d objects%n",
                files, t.lazy, t.whole, t.objects);
        assertThat(files).isGreaterThan(100);
        assertThat(t.lazy).as("documents on the lazy path").isGreaterThan(300);
        assertThat(t.whole).as("documents on the whole-tree path").isGreaterThan(0);
    }

    @Test
    void everyTruncationOfARecordIsRejectedByBoth() {
        Tally t = new Tally();
        byte[] r = RECORD.getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < r.length; n++) {
            assertEquivalent(Arrays.copyOf(r, n), "truncated at " + n, t);
        }
        byte[] envelope = envelope(RECORD).getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < envelope.length; n++) {
            assertEquivalent(Arrays.copyOf(envelope, n), "envelope truncated at " + n, t);
        }
        assertThat(t.lazy).isZero();
        assertEquivalent(r, "whole record", t);
        assertThat(t.lazy).isEqualTo(1);
    }

    @Test
    void flippedBytesGoTheSameWayOnBothPaths() {
        byte[] special = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '.', 'e', 'E', '+', 'u', 'n', 't',
                ' ', '\n', '\r', '\t', 0x0c, 0x00, 0x1f, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xa9, (byte) 0xff,
                (byte) 0xef, 'x', '/', '*', '\''};
        Random random = new Random(SEED);
        Tally t = new Tally();
        List<byte[]> bases = Arrays.asList(RECORD.getBytes(StandardCharsets.UTF_8),
                envelope(RECORD).getBytes(StandardCharsets.UTF_8),
                ("{\"Records\":[" + RECORD + "," + RECORD + "]}").getBytes(StandardCharsets.UTF_8));
        for (int k = 0; k < 6000; k++) {
            byte[] d = bases.get(k % bases.size()).clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(d.length);
                d[at] = random.nextBoolean() ? special[random.nextInt(special.length)] : (byte) random.nextInt(256);
            }
            assertEquivalent(d, "flipped #" + k, t);
        }
        assertThat(t.lazy).isGreaterThan(100);
        assertThat(t.whole).isGreaterThan(1000);
    }

    @Test
    void stringContentsEscapesAndEncodings() {
        Tally t = new Tally();
        String[] contents = {"plain", "", "tab\\there", "q\\\"q", "back\\\\slash", "sl\\/ash", "\\b\\f\\n\\r\\t",
                "\\u0041\\u00e9\\u00E9\\uD83D\\uDE00", "\\ud800", "\\udc00x", "\\u0000", "\\u001f", "\\uFFFF",
                "\\x", "\\u12G4", "\\u123", "\\", "\\'", "\\a", "\u00e9", "\u20ac", "\ud83d\ude00", "raw\ttab",
                "raw\nline", "\u007f", "\u0001"};
        for (String c : contents) {
            for (String doc : Arrays.asList(
                    RECORD.replace("\"Admin/s\"", "\"Admin/" + c + "\""),
                    RECORD.replace("\"1.2.3.4\"", "\"" + c + "\""),
                    RECORD.replace("\"eventID\"", "\"event" + c + "ID\""),
                    RECORD.replace("\"cidrIp\"", "\"cidr" + c + "Ip\""))) {
                assertEquivalent(doc.getBytes(StandardCharsets.UTF_8), "string " + c, t);
            }
        }
        byte[][] badUtf8 = {{(byte) 0xc3}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xff}, {(byte) 0xe2, (byte) 0x82}};
        for (byte[] bad : badUtf8) {
            assertEquivalent(splice(RECORD, "\"1.2.3.4\"", "\"1.2", bad, ".3.4\""), "bad UTF-8 top level", t);
            assertEquivalent(splice(RECORD, "\"0.0.0.0/0\"", "\"0.0", bad, ".0.0/0\""), "bad UTF-8 nested", t);
        }
        assertThat(t.lazy).isGreaterThan(20);
        assertThat(t.whole).isGreaterThan(20);
    }

    @Test
    void numbersAsJacksonTypesThem() {
        Tally t = new Tally();
        String[] numbers = {"0", "-0", "7", "-7", "01", "-01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "1E5", "1e-5",
                "-0.0", "0.0", "1.25e+3", "2147483647", "2147483648", "-2147483648", "-2147483649", "999999999",
                "1000000000", "9999999999", "999999999999999999", "1000000000000000000", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "123456789012345678901234567890", "1e400", "-1e400", "1.5e-400", "NaN", "Infinity", "-Infinity",
                "0x10", "1_000", "1 2", "--1", "1.2.3", "1e5e5", repeat('9', 100), repeat('9', 101),
                "0." + repeat('1', 99), repeat('9', 1001), "true", "false", "null", "tru", "nul", "True", "[]", "{}",
                "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "[1 2]", "{'a':1}", "{a:1}"};
        for (String n : numbers) {
            assertEquivalent(RECORD.replace("\"fromPort\":22", "\"fromPort\":" + n).getBytes(StandardCharsets.UTF_8),
                    "nested value " + n, t);
            assertEquivalent(RECORD.replace("\"readOnly\":false", "\"readOnly\":" + n).getBytes(StandardCharsets.UTF_8),
                    "top-level value " + n, t);
        }
        assertThat(t.lazy).isGreaterThan(40);
        assertThat(t.whole).isGreaterThan(40);
    }

    @Test
    void nestingDepthsAroundTheSubsetsAndJacksonsLimits() {
        Tally t = new Tally();
        for (int depth : new int[] {1, 10, 59, 60, 61, 62, 63, 64, 65, 100, 497, 498, 499, 500, 501}) {
            String arrays = repeat('[', depth) + repeat(']', depth);
            StringBuilder objects = new StringBuilder();
            for (int k = 0; k < depth; k++) {
                objects.append("{\"a\":");
            }
            objects.append("1").append(repeat('}', depth));
            assertEquivalent(RECORD.replace("\"fromPort\":22", "\"fromPort\":" + arrays)
                    .getBytes(StandardCharsets.UTF_8), "arrays " + depth, t);
            assertEquivalent(RECORD.replace("\"readOnly\":false", "\"readOnly\":" + objects)
                    .getBytes(StandardCharsets.UTF_8), "objects " + depth, t);
        }
        assertThat(t.lazy).isGreaterThan(5);
        assertThat(t.whole).isGreaterThan(5);
    }

    @Test
    void duplicateKeysResolveAsReadTreeDoes() {
        Tally t = new Tally();
        String[] docs = {
            RECORD.replace("\"eventID\":\"x1\"", "\"eventName\":\"RunInstances\",\"eventID\":\"x1\""),
            RECORD.replace("\"eventID\":\"x1\"", "\"eventName\":{\"a\":1},\"eventID\":\"x1\",\"eventName\":\"B\""),
            RECORD.replace("\"cidrIp\":\"0.0.0.0/0\"", "\"cidrIp\":\"0.0.0.0/0\",\"cidrIp\":\"10.0.0.0/8\""),
            RECORD.replace("\"type\":\"AssumedRole\"", "\"accountId\":\"9\",\"type\":\"AssumedRole\""),
            RECORD.replace("\"eventID\":\"x1\"", "\"ev\\u0065ntName\":\"Escaped\",\"eventID\":\"x1\""),
            envelope(RECORD).replace("\"detail-type\"", "\"account\":\"5\",\"detail-type\"")
                    + "",
            "{\"detail\":{},\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":" + RECORD + "}",
        };
        for (String d : docs) {
            assertEquivalent(d.getBytes(StandardCharsets.UTF_8), "duplicates " + d, t);
        }
        assertThat(t.lazy).isEqualTo(docs.length);
    }

    @Test
    void whitespaceBomAndTrailingBytes() throws IOException {
        Tally t = new Tally();
        String pretty = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.mapper().readTree(RECORD));
        String[] docs = {pretty, pretty.replace("\n", "\r\n"), pretty.replace("  ", "\t"), " \t\r\n" + RECORD + " \n",
                RECORD.replace(":", " : ").replace(",", " ,\n "), RECORD + "x", RECORD + "}", RECORD + "{}",
                RECORD + "\u0000", RECORD + "\u000c", "\u000c" + RECORD, RECORD + " //", "/**/" + RECORD,
                RECORD.replace(",\"eventID\"", ",/*c*/\"eventID\""), RECORD + "\n\n", RECORD.replace(",", ",,"),
                RECORD.replace("{", "{ ").replace("[", "[ ").replace("]", " ]"), "{}", " {} ", "{\"a\":1}",
                "[" + RECORD + "]", "\"" + RECORD + "\"", "null", "", " ", RECORD.replace("\"", "'")};
        for (String d : docs) {
            assertEquivalent(d.getBytes(StandardCharsets.UTF_8), "document " + d, t);
        }
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        assertEquivalent(concat(bom, RECORD.getBytes(StandardCharsets.UTF_8)), "BOM", t);
        assertEquivalent(RECORD.getBytes(StandardCharsets.UTF_16BE), "UTF-16", t);
        assertThat(t.lazy).isGreaterThan(8);
        assertThat(t.whole).isGreaterThan(8);
    }

    @Test
    void classificationOfEnvelopesLogFilesAndWrappers() {
        Tally t = new Tally();
        String[] docs = {envelope(RECORD), envelope("{}"), envelope("null"), envelope("\"s\""), envelope("{\"x\":1}"),
                "{\"detail\":{\"x\":1},\"source\":\"aws.s3\",\"detail-type\":\"Object Created\"}",
                "{\"detail-type\":\"d\",\"source\":\"s\"}", "{\"Records\":[" + RECORD + ",{},1,[]]}",
                "{\"Records\":[]}", "{\"Records\":{}}", "{\"event\":" + RECORD + "}", "{\"event\":{\"x\":1}}",
                "{\"event\":{\"Records\":[" + RECORD + "]}}", "{\"eventname\":\"x\",\"EventSource\":\"y\"}",
                "{\"digestStartTime\":\"t\",\"logFiles\":[]}",
                "{\"Type\":\"Notification\",\"Message\":\"{\\\"s3Bucket\\\":\\\"b\\\",\\\"s3ObjectKey\\\":[\\\"k\\\"]}\"}",
                "{\"Type\":\"Notification\"}", "{\"eventTime\":\"not a time\",\"eventName\":\"X\"}",
                "{\"eventTime\":\"2023-07-10T11:42:05.123456Z\"}", "{\"eventTime\":7,\"userIdentity\":\"u\"}"};
        for (String d : docs) {
            assertEquivalent(d.getBytes(StandardCharsets.UTF_8), "document " + d, t);
        }
        assertThat(t.lazy).isEqualTo(docs.length);
    }

    @Test
    void readingSomeMembersFirstAndMutatingKeepTheTreeEqual() throws IOException {
        byte[] d = envelope(RECORD).getBytes(StandardCharsets.UTF_8);
        JsonNode whole = Json.mapper().readTree(d);
        ObjectNode lazy = (ObjectNode) JsonSubset.document(d);
        assertThat(lazy.path("detail").path("userIdentity").path("accountId").asText()).isEqualTo("111122223333");
        assertThat(lazy.path("detail").path("requestParameters").path("count").isLong()).isTrue();
        assertThat(lazy.toString()).isEqualTo(whole.toString());
        assertThat(lazy.deepCopy()).isEqualTo(whole);

        ObjectNode record = (ObjectNode) lazy.get("detail");
        ((ObjectNode) whole.get("detail")).put("eventName", "Changed").remove("eventID");
        record.put("eventName", "Changed").remove("eventID");
        assertThat(lazy).isEqualTo(whole);
        assertThat(lazy.toString()).isEqualTo(whole.toString());
        assertThat(record.get("eventName")).isEqualTo(TextNode.valueOf("Changed"));
    }

    @Test
    void sharedCorporaGiveEqualTreesEventsAndDeadLetters() throws IOException {
        Path corpora = corpora();
        Tally t = new Tally();
        for (Path f : jsonFiles(corpora)) {
            documentsOf(f, t);
        }
        System.out.printf("corpora: %d documents on the lazy path, %d on the whole-tree path, %d objects%n", t.lazy,
                t.whole, t.objects);
        assertThat(t.lazy).isGreaterThan(750);
    }

    /** ../shared/corpora, or skip; under CI=true its absence fails. */
    static Path corpora() {
        for (Path p : new Path[] {Paths.get("..", "shared", "corpora"), Paths.get("..", "..", "shared", "corpora")}) {
            if (Files.isRegularFile(p.resolve("MANIFEST.md"))) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("../shared/corpora is missing (required under CI=true)");
        }
        Assumptions.assumeTrue(false, "../shared/corpora not found: skipping");
        return null;
    }

    /** Every file under {@code dir} (sorted) that may hold JSON. */
    static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson") || !n.contains(".");
            }).sorted().collect(Collectors.toList());
        }
    }

    /** The file as one document and each of its lines as a document. */
    private static void documentsOf(Path f, Tally t) throws IOException {
        byte[] all = Files.readAllBytes(f);
        if (all.length > 8 * 1024 * 1024) {
            return;
        }
        assertEquivalent(all, f.toString(), t);
        int from = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > from) {
                    assertEquivalent(Arrays.copyOfRange(all, from, i), f + " line at byte " + from, t);
                }
                from = i + 1;
            }
        }
    }

    /**
     * The invariant: the subset accepts only what readTree accepts, with an equal tree; unwrapping the document
     * (whole and as a line) gives what the whole-tree unwrapper gives.
     */
    static void assertEquivalent(byte[] d, String label, Tally t) {
        JsonNode lazy = JsonSubset.document(d);
        JsonNode whole;
        try {
            whole = Json.mapper().readTree(d);
        } catch (IOException | RuntimeException e) {
            whole = null;
        }
        if (whole != null && whole.isObject()) {
            t.objects++;
        }
        if (lazy == null) {
            t.whole++;
        } else {
            t.lazy++;
            if (whole == null) {
                fail("%s: the subset accepts what readTree rejects: %s", label, printable(d));
            }
            JsonNode touched = JsonSubset.document(d);
            touched.path("detail").path("eventName");
            touched.path("userIdentity").path("sessionContext");
            touched.path("Records").path(0).path("eventTime");
            touched.path(0).path("requestParameters");
            assertThat(touched.toString()).as(label).isEqualTo(whole.toString());
            assertThat(touched).as(label).isEqualTo(whole);
            assertThat(lazy.hashCode()).as(label).isEqualTo(whole.hashCode());
            assertThat(lazy).as(label).isEqualTo(whole);
            assertThat(whole).as(label).isEqualTo(lazy);
            assertThat(lazy.toString()).as(label).isEqualTo(whole.toString());
        }
        assertThat(unwrapped(d, new EventUnwrapper(), false)).as(label)
                .isEqualTo(unwrapped(d, EventUnwrapper.wholeTree(new Counter()), false));
        assertThat(unwrapped(d, new EventUnwrapper(), true)).as(label)
                .isEqualTo(unwrapped(d, EventUnwrapper.wholeTree(new Counter()), true));
    }

    /** Every event (attributes, then the record) and dead letter of unwrapping {@code d}, as text. */
    private static List<String> unwrapped(byte[] d, EventUnwrapper u, boolean asLine) {
        List<String> out = new ArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                out.add("event " + e.number() + " " + e.timeMillis() + " " + e.hasTime() + " " + e.eventId() + " "
                        + e.eventName() + " " + e.eventSource() + " " + e.account() + " " + e.region() + " "
                        + e.envelopeAccount() + " " + e.envelopeRegion() + " " + e.envelopeTime() + " "
                        + e.envelopeDetailType() + " " + e.record());
            }

            @Override
            public void deadLetter(DeadLetter dl) {
                out.add("dead letter " + dl.toJson());
            }
        };
        if (asLine) {
            u.unwrapLine(d, "file.jsonl:3", 3, sink);
        } else {
            u.unwrap(d, "file.json", sink);
        }
        out.add("counts " + u.events() + " " + u.eventsWithoutTime() + " " + u.deadLetters());
        return out;
    }

    private static final class Counter implements java.util.function.LongSupplier {
        private long next = 1;

        @Override
        public long getAsLong() {
            return next++;
        }
    }

    static String envelope(String detail) {
        return "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ec2\","
                + "\"account\":\"111122223333\",\"time\":\"2023-07-10T11:42:06Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
    }

    private static byte[] splice(String text, String target, String before, byte[] middle, String after) {
        int at = text.indexOf(target);
        assertThat(at).isNotNegative();
        return concat(text.substring(0, at).getBytes(StandardCharsets.UTF_8),
                before.getBytes(StandardCharsets.UTF_8), middle, after.getBytes(StandardCharsets.UTF_8),
                text.substring(at + target.length()).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }

    private static String printable(byte[] d) {
        String s = new String(d, 0, Math.min(d.length, 300), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
