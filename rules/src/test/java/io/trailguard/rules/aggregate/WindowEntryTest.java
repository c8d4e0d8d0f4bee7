package io.trailguard.rules.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact encoding of rate-rule state: event ids, output values, keys, fingerprints and the entry array. */
class WindowEntryTest {
    static Signal signal(String[] group, String eventId, String value, String[] outputs, String account, String region) {
        return new Signal("Rule", "0123456789abcdef", group, 1000, eventId, value, outputs, account, region);
    }

    static String[] decode(WindowEntry e, String[] group, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = e.outputValue(i, group);
        }
        return out;
    }

    @Test
    void canonicalUuidsAreTwoLongsAndComeBackAsTheyCame() {
        for (String id : new String[] {"3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "00000000-0000-0000-0000-000000000001", "80000000-0000-0000-8000-000000000000"}) {
            WindowEntry e = new WindowEntry(1, id, null, null, null, null);
            assertThat(e.idText).as(id).isNull();
            assertThat(e.eventId()).isEqualTo(id);
            assertThat(WindowEntry.of(signal(new String[0], id, null, null, null, null)).eventId()).isEqualTo(id);
        }
        UUID u = UUID.fromString("3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
        WindowEntry e = new WindowEntry(1, u.toString(), null, null, null, null);
        assertThat(e.idHigh).isEqualTo(u.getMostSignificantBits());
        assertThat(e.idLow).isEqualTo(u.getLeastSignificantBits());
    }

    @Test
    void otherEventIdsAreKeptAsText() {
        for (String id : new String[] {"3F2B1C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D", "3f2b1c4d5e6f4a7b8c9d0e1f2a3b4c5d",
                "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5", "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5g",
                "3f2b1c4d_5e6f-4a7b-8c9d-0e1f2a3b4c5d", "00000000-0000-0000-0000-000000000000", "e1", "a@0", ""}) {
            WindowEntry e = new WindowEntry(1, id, null, null, null, null);
            assertThat(e.idText).as(id).isEqualTo(id);
            assertThat(e.eventId()).isEqualTo(id);
        }
        WindowEntry none = WindowEntry.of(signal(new String[0], null, null, null, null, null));
        assertThat(none.eventId()).isNull();
        assertThat(none.idHigh).isZero();
        assertThat(none.idLow).isZero();
    }

    @Test
    void eventIdOrderIsTheOrderOfTheIdStrings() {
        Random random = new Random(5);
        List<WindowEntry> entries = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String id;
            switch (random.nextInt(5)) {
                case 0:
                    id = null;
                    break;
                case 1:
                    id = "e" + random.nextInt(50);
                    break;
                case 2:
                    id = new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase();
                    break;
                default:
                    id = new UUID(random.nextInt(3) == 0 ? random.nextInt(4) : random.nextLong(), random.nextLong())
                            .toString();
            }
            entries.add(new WindowEntry(i, id, null, null, null, null));
        }
        List<WindowEntry> byComparator = new ArrayList<>(entries);
        byComparator.sort(WindowEntry.BY_EVENT_ID);
        List<WindowEntry> byString = new ArrayList<>(entries);
        byString.sort(Comparator.comparing((WindowEntry e) -> e.eventId() == null ? "" : e.eventId()));
        assertThat(byComparator).extracting(WindowEntry::eventId)
                .containsExactlyElementsOf(byString.stream().map(WindowEntry::eventId)::iterator);
    }

    @Test
    void outputValuesFoundElsewhereAreReferencedAndComeBack() {
        String[] group = {"1.2.3.4", "alice"};
        String[] outputs = {"1.2.3.4", "111122223333", null, "alice", "Mozilla/5.0", "us-east-1", "ListUsers",
                "1.2.3.5"};
        WindowEntry e = WindowEntry.of(signal(group, "e", "ListUsers", outputs, "111122223333", "us-east-1"));
        // only what is found nowhere else is stored
        assertThat(e.outputs).containsExactly(null, null, null, null, "Mozilla/5.0", null, null, "1.2.3.5");
        assertThat(decode(e, group, outputs.length + 2)).containsExactly("1.2.3.4", "111122223333", null, "alice",
                "Mozilla/5.0", "us-east-1", "ListUsers", "1.2.3.5", null, null);
        assertThat(e.outputValue(-1, group)).isNull();
    }

    @Test
    void absentValuesStayAbsentAndTrailingOnesAreNotStored() {
        String[] group = {"1.2.3.4"};
        WindowEntry e = WindowEntry.of(signal(group, "e", null, new String[] {"x", "1.2.3.4", null, null}, null, null));
        assertThat(e.outputs).containsExactly("x");
        assertThat(decode(e, group, 4)).containsExactly("x", "1.2.3.4", null, null);
        WindowEntry all = WindowEntry.of(signal(group, "e", null, new String[] {"1.2.3.4", null}, null, null));
        assertThat(all.outputs).isNull();
        assertThat(decode(all, group, 2)).containsExactly("1.2.3.4", null);
        WindowEntry none = WindowEntry.of(signal(group, "e", null, null, null, null));
        assertThat(decode(none, group, 2)).containsExactly(null, null);
        WindowEntry empty = WindowEntry.of(signal(group, "e", null, new String[0], null, null));
        assertThat(empty.outputValue(0, group)).isNull();
        // an absent account or region is not "equal" to an absent output value
        WindowEntry nulls = WindowEntry.of(signal(new String[0], "e", null, new String[] {null, "v"}, null, null));
        assertThat(decode(nulls, new String[0], 2)).containsExactly(null, "v");
    }

    @Test
    void slotsBeyondTheCodedOnesAndGroupsBeyondTwelveValuesAreStored() {
        String[] group = new String[14];
        for (int k = 0; k < group.length; k++) {
            group[k] = "g" + k;
        }
        String[] outputs = new String[WindowEntry.CODED_SLOTS + 3];
        Arrays.fill(outputs, "g0");
        outputs[1] = "g11";
        outputs[2] = "g12";
        outputs[3] = "g13";
        WindowEntry e = WindowEntry.of(signal(group, "e", null, outputs, null, null));
        assertThat(e.outputs[0]).isNull();
        assertThat(e.outputs[1]).isNull();
        assertThat(e.outputs[2]).isEqualTo("g12");
        assertThat(e.outputs[3]).isEqualTo("g13");
        assertThat(e.outputs[WindowEntry.CODED_SLOTS]).isEqualTo("g0");
        assertThat(decode(e, group, outputs.length)).containsExactly(outputs);
    }

    @Test
    void theConstructorStoresEverythingAsGiven() {
        String[] outputs = {"a", null, "c", null};
        WindowEntry e = new WindowEntry(5, "e", "v", outputs, "acct", "reg");
        assertThat(e.outputFrom).isZero();
        assertThat(e.outputs).containsExactly("a", null, "c");
        outputs[0] = "changed";
        assertThat(e.outputValue(0, null)).as("a copy").isEqualTo("a");
        assertThat(decode(e, null, 4)).containsExactly("a", null, "c", null);
    }

    @Test
    void theInternerSharesEqualValuesAndNeverChangesThem() {
        Interner in = new Interner(16);
        String a = new String("us-east-1".toCharArray());
        String b = new String("us-east-1".toCharArray());
        assertThat(in.intern(a)).isSameAs(a);
        assertThat(in.intern(b)).isSameAs(a);
        assertThat(in.intern((String) null)).isNull();
        String longValue = "x".repeat(Interner.MAX_LENGTH + 1);
        String longCopy = new String(longValue.toCharArray());
        in.intern(longValue);
        assertThat(in.intern(longCopy)).isSameAs(longCopy);
        String[] t1 = {"a", null, "b"};
        String[] t2 = {"a", null, "b"};
        assertThat(in.intern(t1)).isSameAs(t1);
        assertThat(in.intern(t2)).isSameAs(t1);
        assertThat(in.intern(new String[] {"a", "b"})).containsExactly("a", "b");
        // many values: every answer equals the question, whatever was evicted
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            String s = "v" + random.nextInt(100);
            assertThat(in.intern(new String(s.toCharArray()))).isEqualTo(s);
        }
    }

    @Test
    void entriesFromSignalsWithAndWithoutAnInternerAreEqual() {
        Interner in = new Interner(64);
        String[] group = {"1.2.3.4"};
        for (int i = 0; i < 50; i++) {
            Signal s = signal(group, UUID.randomUUID().toString(), i % 3 == 0 ? null : "v" + i % 4,
                    new String[] {"1.2.3.4", "user" + i % 5, i % 2 == 0 ? null : "111122223333", "ua"},
                    "111122223333", "us-east-1");
            WindowEntry plain = WindowEntry.of(s);
            WindowEntry shared = WindowEntry.of(s, in);
            assertThat(shared.eventId()).isEqualTo(plain.eventId()).isEqualTo(s.eventId);
            assertThat(shared.value).isEqualTo(plain.value).isEqualTo(s.value);
            assertThat(shared.account).isEqualTo(s.account);
            assertThat(shared.region).isEqualTo(s.region);
            assertThat(decode(shared, group, 5)).containsExactly(decode(plain, group, 5))
                    .startsWith(s.outputValues);
        }
    }

    @Test
    void keysGiveTheirGroupBackAndNeverMixTwoGroups() {
        String[][] groups = {{}, {""}, {"1.2.3.4"}, {"a", "b"}, {"a\u0000b", "c"}, {"a", "b\u0000c"}, {"\u0001"},
                {"\u00010"}, {"\u0000"}, {"x\u0001\u0000\u0001y", ""}, {"", ""}};
        List<String> keys = new ArrayList<>();
        for (String[] g : groups) {
            Signal s = signal(g, "e", null, null, null, null);
            String key = s.key();
            assertThat(Signal.groupOf(key)).as(Arrays.toString(g)).containsExactly(g);
            assertThat(Signal.ruleOf(key)).isEqualTo(Signal.ruleTag("Rule"));
            assertThat(keys).as("distinct key for " + Arrays.toString(g)).doesNotContain(key);
            keys.add(key);
        }
        // ordinary values: the key is the rule's tag NUL value NUL value
        assertThat(signal(new String[] {"1.2.3.4", "alice"}, "e", null, null, null, null).key())
                .isEqualTo(Signal.ruleTag("Rule") + "\u00001.2.3.4\u0000alice");
    }

    /** A rule's tag is short and fixed for its name, differs between names, and is told apart from a rule name. */
    @Test
    void ruleTagsAreShortStableAndDistinct() {
        String tag = Signal.ruleTag("Console Login Failures From One Source");
        assertThat(tag).hasSize(Signal.TAG_LENGTH).isEqualTo(Signal.ruleTag("Console Login Failures From One Source"))
                .isNotEqualTo(Signal.ruleTag("Console Login Failures From One Source "));
        assertThat(tag.substring(1)).matches("[A-Za-z0-9_-]{10}");
        assertThat(Signal.isTag(tag)).isTrue();
        assertThat(Signal.isTag("Console Login")).isFalse();
        java.util.Set<String> tags = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            tags.add(Signal.ruleTag("rule " + i));
        }
        assertThat(tags).hasSize(10_000);
    }

    @Test
    void fingerprintsAreExactForTheCompilersHexAndHashedOtherwise() {
        assertThat(WindowState.fingerprintOf("0123456789abcdef")).isEqualTo(0x0123456789abcdefL);
        assertThat(WindowState.fingerprintOf("ffffffffffffffff")).isEqualTo(-1L);
        assertThat(WindowState.fingerprintOf("fp")).isEqualTo(WindowState.fingerprintOf("fp"))
                .isNotEqualTo(WindowState.fingerprintOf("fq"));
        assertThat(WindowState.fingerprintOf("0123456789ABCDEF")).isNotEqualTo(0x0123456789abcdefL);
        WindowState s = WindowState.forRule("0123456789abcdef");
        assertThat(s.countedUnder("0123456789abcdef")).isTrue();
        assertThat(s.countedUnder("0123456789abcdee")).isFalse();
    }

    @Test
    void theEntryArrayGrowsShrinksAndKeepsNullsBeyondItsSize() {
        WindowState s = new WindowState();
        List<Long> expected = new ArrayList<>();
        Random random = new Random(9);
        for (int round = 0; round < 2000; round++) {
            if (random.nextInt(3) > 0 || s.size == 0) {
                int at = random.nextInt(s.size + 1);
                long t = random.nextLong();
                s.insert(at, new WindowEntry(t, null, null, null, null, null));
                expected.add(at, t);
            } else {
                int n = 1 + random.nextInt(s.size);
                s.removeFirst(n);
                expected.subList(0, n).clear();
            }
            assertThat(s.size).isEqualTo(expected.size());
            for (int i = 0; i < s.size; i++) {
                assertThat(s.entry(i).time).isEqualTo(expected.get(i));
            }
            for (int i = s.size; i < s.entries.length; i++) {
                assertThat(s.entries[i]).isNull();
            }
            assertThat(s.entries.length).isLessThanOrEqualTo(Math.max(4, 4 * s.size));
        }
        s.removeFirst(s.size);
        assertThat(s.entries).isEmpty();
        assertThat(s.isEmpty()).isTrue();
    }
}
