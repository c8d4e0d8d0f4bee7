package io.trailguard.rules.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trailguard.rules.event.Json;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JsonText} writes what the alert lines' Jackson generator writes. */
class JsonTextTest {

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

    private static String byJsonText(Object value) {
        StringBuilder out = new StringBuilder("{");
        JsonText.string(out, value instanceof String ? (String) value : "k").append(':');
        assertThat(JsonText.value(out, value)).isTrue();
        return out.append('}').toString();
    }

    @Test
    void everyCharacterIsWrittenAsTheGeneratorWritesIt() throws Exception {
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = "a" + (char) c + "b" + (char) c;
            assertThat(byJsonText(s)).as("U+%04X", c).isEqualTo(byGenerator(s));
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
            assertThat(byJsonText(s)).isEqualTo(byGenerator(s));
        }
        assertThat(byJsonText(null)).isEqualTo(byGenerator(null));
        for (long n : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1234567890123L}) {
            assertThat(byJsonText(n)).isEqualTo(byGenerator(n));
        }
        List<Object> list = new ArrayList<>(Arrays.asList("x\"", null, "é\n"));
        assertThat(byJsonText(list)).isEqualTo(byGenerator(list));
        assertThat(byJsonText(List.of())).isEqualTo(byGenerator(List.of()));
    }

    @Test
    void doublesAndMapsAreLeftToTheGenerator() {
        assertThat(JsonText.value(new StringBuilder(), 1.5d)).isFalse();
        assertThat(JsonText.value(new StringBuilder(), java.util.Map.of("a", 1L))).isFalse();
    }
}
