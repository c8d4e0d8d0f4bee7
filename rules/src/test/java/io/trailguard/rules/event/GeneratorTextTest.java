package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GeneratorText} writes what the alert lines' Jackson generator writes. */
class GeneratorTextTest {

    private static String byGenerator(Object value) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeFieldName(value instanceof String ? (String) value : "k");
            if (value == null) {
                g.writeNull();
            } else if (value instanceof String) {
                g.writeString((String) value);
            } else if (value instanceof Long) {
                g.writeNumber((Long) value);
            } else {
                g.writeStartArray();
                for (Object o : (List<?>) value) {
                    g.writeString(String.valueOf(o));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return w.toString();
    }

    private static String byGeneratorText(Object value) {
        StringBuilder out = new StringBuilder("{");
        GeneratorText.string(out, value instanceof String ? (String) value : "k").append(':');
        assertThat(GeneratorText.value(out, value)).isTrue();
        return out.append('}').toString();
    }

    @Test
    void everyCharacterIsWrittenAsTheGeneratorWritesIt() throws Exception {
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = "a" + (char) c + "b" + (char) c;
            assertThat(byGeneratorText(s)).as("U+%04X", c).isEqualTo(byGenerator(s));
        }
    }

    @Test
    void randomTextsNullsNumbersAndListsAreWrittenAsTheGeneratorWritesThem() throws Exception {
        Random random = new Random(21);
        char[] alphabet = "ab\"\\/\n\r\t\b\f\u0000\u001f\u007f\u0080é\u2028\u2029\ud83d\ude00<>&'".toCharArray();
        for (int i = 0; i < 5000; i++) {
            char[] text = new char[random.nextInt(3000)];
            for (int j = 0; j < text.length; j++) {
                text[j] = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                        : alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(text);
            assertThat(byGeneratorText(s)).isEqualTo(byGenerator(s));
        }
        assertThat(byGeneratorText(null)).isEqualTo(byGenerator(null));
        for (long n : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1234567890123L}) {
            assertThat(byGeneratorText(n)).isEqualTo(byGenerator(n));
        }
        List<Object> list = new ArrayList<>(Arrays.asList("x\"", null, "é\n"));
        assertThat(byGeneratorText(list)).isEqualTo(byGenerator(list));
        assertThat(byGeneratorText(List.of())).isEqualTo(byGenerator(List.of()));
    }

    @Test
    void doublesAndMapsAreLeftToTheGenerator() {
        assertThat(GeneratorText.value(new StringBuilder(), 1.5d)).isFalse();
        assertThat(GeneratorText.value(new StringBuilder(), java.util.Map.of("a", 1L))).isFalse();
    }

    /** Every node of the fixture records and of trees with odd text is written as {@link JsonNode#toString()}. */
    @Test
    void treesAreWrittenAsTheirToString() throws Exception {
        List<JsonNode> roots = new ArrayList<>();
        InputFiles in = new InputFiles(new EventUnwrapper());
        for (java.nio.file.Path f : InputFiles.list(List.of(java.nio.file.Paths.get("fixtures", "data")), w -> { })) {
            in.read(f, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    roots.add(e.record());
                }

                @Override
                public void deadLetter(DeadLetter d) {
                }
            });
        }
        assertThat(roots).hasSizeGreaterThan(500);
        roots.add(Json.mapper().readTree("{\"a\\u0001\":[1,-2,9223372036854775807,true,false,null,\"x\\\"\\n\\u2028\"],"
                + "\"e\":{},\"l\":[],\"n\":{\"m\":{\"k\":\"\\ud83d\\ude00é\"}}}"));
        int written = 0;
        int left = 0;
        List<JsonNode> nodes = new ArrayList<>(roots);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            n.elements().forEachRemaining(nodes::add);
            String text = GeneratorText.node(n);
            if (text == null) {
                left++;
            } else {
                written++;
                assertThat(text).isEqualTo(n.toString());
            }
            assertThat(Json.compact(n)).isEqualTo(n.toString());
        }
        assertThat(written).isGreaterThan(10_000);
        JsonNode floats = Json.mapper().readTree("{\"a\":[1.5e300,18446744073709551616]}");
        assertThat(GeneratorText.node(floats)).isNull();
        assertThat(Json.compact(floats)).isEqualTo(floats.toString());
        assertThat(left).isLessThan(written);
    }
}
