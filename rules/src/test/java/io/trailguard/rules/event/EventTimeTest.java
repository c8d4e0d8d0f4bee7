package io.trailguard.rules.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeTest {

    private static long reference(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return CloudTrailEvent.NO_TIME;
        }
    }

    @Test
    void commonShapesParseWithoutTheFormatter() {
        assertThat(CloudTrailEvent.parseCommonTime("2023-07-10T11:42:05Z")).isEqualTo(1688989325000L);
        assertThat(CloudTrailEvent.parseCommonTime("2023-07-10T11:42:05.1Z")).isEqualTo(1688989325100L);
        assertThat(CloudTrailEvent.parseCommonTime("2023-07-10T11:42:05.123456789Z")).isEqualTo(1688989325123L);
        assertThat(CloudTrailEvent.parseCommonTime("2024-02-29T00:00:00Z")).isEqualTo(reference("2024-02-29T00:00:00Z"));
        // not the common shape: left to Instant.parse
        assertThat(CloudTrailEvent.parseCommonTime("2023-02-29T00:00:00Z")).isEqualTo(CloudTrailEvent.NO_TIME);
        assertThat(CloudTrailEvent.parseCommonTime("2023-07-10t11:42:05z")).isEqualTo(CloudTrailEvent.NO_TIME);
        assertThat(CloudTrailEvent.parseCommonTime("2023-07-10T23:59:60Z")).isEqualTo(CloudTrailEvent.NO_TIME);
        assertThat(CloudTrailEvent.parseTime("2023-07-10t11:42:05z")).isEqualTo(reference("2023-07-10t11:42:05z"));
    }

    /** Random valid and mangled timestamps: parseTime always answers what Instant.parse answers. */
    @Test
    void agreesWithInstantParse() {
        Random random = new Random(9);
        String junk = "0123456789-T:.Zz+ ";
        for (int i = 0; i < 50_000; i++) {
            long millis = random.nextLong() % 4_102_444_800_000L; // 1840 .. 2100
            String text = Instant.ofEpochMilli(Math.abs(millis)).toString();
            if (random.nextBoolean()) {
                StringBuilder sb = new StringBuilder(text);
                int edits = 1 + random.nextInt(2);
                for (int e = 0; e < edits; e++) {
                    int at = random.nextInt(sb.length());
                    switch (random.nextInt(3)) {
                        case 0:
                            sb.setCharAt(at, junk.charAt(random.nextInt(junk.length())));
                            break;
                        case 1:
                            sb.deleteCharAt(at);
                            break;
                        default:
                            sb.insert(at, junk.charAt(random.nextInt(junk.length())));
                    }
                }
                text = sb.toString();
            }
            assertThat(CloudTrailEvent.parseTime(text)).as(text).isEqualTo(reference(text));
        }
    }

    @Test
    void epochDaysMatchTheCalendar() {
        for (java.time.LocalDate d = java.time.LocalDate.of(0, 1, 1); d.getYear() < 10_000; d = d.plusDays(1)) {
            assertThat(CloudTrailEvent.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
                    .as(d.toString()).isEqualTo(d.toEpochDay());
        }
    }
}
