package dev.panda.store.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ListpackTest {
    /** Every listpack here sits behind a caller's header, as in a keyspace entry. */
    private static final byte[] HEAD = {9, 8, 7, 6, 5};
    private static final int BASE = HEAD.length;
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] lp(String... items) {
        Listpack.Builder builder = new Listpack.Builder();
        for (String s : items) {
            builder.add(b(s));
        }
        return builder.build(HEAD, BASE);
    }

    private static byte[] lp(List<byte[]> items) {
        Listpack.Builder builder = new Listpack.Builder();
        for (byte[] s : items) {
            builder.add(s);
        }
        return builder.build(HEAD, BASE);
    }

    /** The one entry of a listpack holding just {@code s}, backlen included. */
    private static String entryHex(byte[] s) {
        byte[] a = Listpack.append(Listpack.empty(HEAD, BASE), BASE, s, 0, s.length);
        return HEX.formatHex(a, BASE + Listpack.HEADER_SIZE, a.length - 1);
    }

    /** The last {@code n} bytes of the entry {@code s} becomes, so that a failure prints briefly. */
    private static String entryTailHex(byte[] s, int n) {
        String hex = entryHex(s);
        return hex.substring(hex.length() - 2 * n);
    }

    private static String entryHex(String s) {
        return entryHex(b(s));
    }

    private static List<byte[]> forward(byte[] a) {
        List<byte[]> out = new ArrayList<>();
        for (int p = Listpack.first(a, BASE); p >= 0; p = Listpack.next(a, p)) {
            out.add(Listpack.bytes(a, p));
        }
        return out;
    }

    private static List<byte[]> backward(byte[] a) {
        List<byte[]> out = new ArrayList<>();
        for (int p = Listpack.last(a, BASE); p >= 0; p = Listpack.prev(a, BASE, p)) {
            out.add(0, Listpack.bytes(a, p));
        }
        return out;
    }

    private static byte[] repeat(char c, int n) {
        byte[] s = new byte[n];
        Arrays.fill(s, (byte) c);
        return s;
    }

    @Test
    void emptyListpackIsSevenBytesBehindTheHead() {
        byte[] a = Listpack.empty(HEAD, BASE);
        assertThat(HEX.formatHex(a)).isEqualTo("0908070605" + "070000000000" + "ff");
        assertThat(Listpack.totalBytes(a, BASE)).isEqualTo(7);
        assertThat(Listpack.size(a, BASE)).isZero();
        assertThat(Listpack.isEmpty(a, BASE)).isTrue();
        assertThat(Listpack.first(a, BASE)).isEqualTo(-1);
        assertThat(Listpack.last(a, BASE)).isEqualTo(-1);
        assertThat(Listpack.end(a, BASE)).isEqualTo(BASE + 6);
        assertThat(Listpack.seek(a, BASE, 0)).isEqualTo(-1);
        assertThat(new Listpack.Builder().build(HEAD, BASE)).isEqualTo(a);
    }

    @Test
    void integersTakeTheSmallestEncodingAtEveryBoundary() {
        // 7-bit unsigned
        assertThat(entryHex("0")).isEqualTo("0001");
        assertThat(entryHex("1")).isEqualTo("0101");
        assertThat(entryHex("127")).isEqualTo("7f01");
        // 13-bit
        assertThat(entryHex("128")).isEqualTo("c08002");
        assertThat(entryHex("-1")).isEqualTo("dfff02");
        assertThat(entryHex("4095")).isEqualTo("cfff02");
        assertThat(entryHex("-4096")).isEqualTo("d00002");
        // 16-bit
        assertThat(entryHex("4096")).isEqualTo("f1001003");
        assertThat(entryHex("-4097")).isEqualTo("f1ffef03");
        assertThat(entryHex("32767")).isEqualTo("f1ff7f03");
        assertThat(entryHex("-32768")).isEqualTo("f1008003");
        // 24-bit
        assertThat(entryHex("32768")).isEqualTo("f200800004");
        assertThat(entryHex("-32769")).isEqualTo("f2ff7fff04");
        assertThat(entryHex("8388607")).isEqualTo("f2ffff7f04");
        assertThat(entryHex("-8388608")).isEqualTo("f200008004");
        // 32-bit
        assertThat(entryHex("8388608")).isEqualTo("f30000800005");
        assertThat(entryHex("-8388609")).isEqualTo("f3ffff7fff05");
        assertThat(entryHex("2147483647")).isEqualTo("f3ffffff7f05");
        assertThat(entryHex("-2147483648")).isEqualTo("f30000008005");
        // 64-bit
        assertThat(entryHex("2147483648")).isEqualTo("f4000000800000000009");
        assertThat(entryHex("-2147483649")).isEqualTo("f4ffffff7fffffffff09");
        assertThat(entryHex("9223372036854775807")).isEqualTo("f4ffffffffffffff7f09");
        assertThat(entryHex("-9223372036854775808")).isEqualTo("f4000000000000008009");
    }

    @Test
    void integerEntriesReadBackAtEveryBoundary() {
        long[] values = {0, 127, 128, -1, 4095, -4096, 4096, -4097, 32767, -32768, 32768, -32769, 8388607, -8388608,
                8388608, -8388609, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L,
                Long.MAX_VALUE, Long.MIN_VALUE};
        Listpack.Builder viaText = new Listpack.Builder();
        Listpack.Builder viaLong = new Listpack.Builder();
        for (long v : values) {
            viaText.add(b(Long.toString(v)));
            viaLong.addInteger(v);
        }
        byte[] a = viaText.build(HEAD, BASE);
        assertThat(viaLong.build(HEAD, BASE)).isEqualTo(a);
        int i = 0;
        for (int p = Listpack.first(a, BASE); p >= 0; p = Listpack.next(a, p), i++) {
            assertThat(Listpack.isInteger(a, p)).isTrue();
            assertThat(Listpack.integer(a, p)).isEqualTo(values[i]);
            assertThat(Listpack.bytes(a, p)).isEqualTo(b(Long.toString(values[i])));
        }
        assertThat(i).isEqualTo(values.length);
        byte[] appended = Listpack.empty(HEAD, BASE);
        for (long v : values) {
            appended = Listpack.appendInteger(appended, BASE, v);
        }
        assertThat(appended).isEqualTo(a);
    }

    @Test
    void nonCanonicalNumbersStayStrings() {
        assertThat(entryHex("-0")).isEqualTo("822d3003");
        assertThat(entryHex("01")).isEqualTo("82303103");
        assertThat(entryHex("+1")).isEqualTo("822b3103");
        assertThat(entryHex(" 1")).isEqualTo("82203103");
        assertThat(entryHex("1 ")).isEqualTo("82312003");
        // 19 digits past Long.MAX_VALUE, and 21 digits: too long for string2ll.
        assertThat(entryHex("9223372036854775808")).isEqualTo("93" + HEX.formatHex(b("9223372036854775808")) + "14");
        assertThat(entryHex("100000000000000000000")).startsWith("95");
    }

    @Test
    void stringLengthsAtEveryBoundary() {
        assertThat(entryHex("")).isEqualTo("8001");
        assertThat(entryHex("a")).isEqualTo("816102");
        // 6-bit length up to 63 (entry of 64 bytes, a 1-byte backlen)
        assertThat(entryHex(repeat('x', 63))).isEqualTo("bf" + "78".repeat(63) + "40");
        // 12-bit length from 64
        assertThat(entryHex(repeat('x', 64))).isEqualTo("e040" + "78".repeat(64) + "42");
        // encoded 127 bytes: the last 1-byte backlen; 128: the first 2-byte one
        assertThat(entryHex(repeat('x', 125))).endsWith("787f");
        assertThat(entryHex(repeat('x', 126))).startsWith("e07e").endsWith("780180");
        assertThat(entryHex(repeat('x', 4095))).startsWith("efff78").endsWith("782081");
        // 32-bit length from 4096
        assertThat(entryHex(repeat('x', 4096))).startsWith("f00010000078").endsWith("782085");
    }

    @Test
    void backlenBoundsAreRedisOnes() {
        // Redis's bounds are strict past the first: an entry of 16383 bytes already takes 3 bytes.
        assertThat(entryTailHex(repeat('x', 16377), 3)).isEqualTo("787ffe"); // encoded 16382
        assertThat(entryTailHex(repeat('x', 16378), 4)).isEqualTo("7800ffff"); // encoded 16383
        assertThat(entryTailHex(repeat('x', 2097145), 4)).isEqualTo("787ffffe"); // encoded 2097150
        assertThat(entryTailHex(repeat('x', 2097146), 5)).isEqualTo("7800ffffff"); // encoded 2097151
        assertThat(Listpack.backlenSize(127)).isEqualTo(1);
        assertThat(Listpack.backlenSize(128)).isEqualTo(2);
        assertThat(Listpack.backlenSize(16382)).isEqualTo(2);
        assertThat(Listpack.backlenSize(16383)).isEqualTo(3);
        assertThat(Listpack.backlenSize(2097150)).isEqualTo(3);
        assertThat(Listpack.backlenSize(2097151)).isEqualTo(4);
        assertThat(Listpack.backlenSize(268435454)).isEqualTo(4);
        assertThat(Listpack.backlenSize(268435455)).isEqualTo(5);
    }

    @Test
    void walksBothWaysOverEveryEntrySize() {
        List<byte[]> items = new ArrayList<>();
        for (int n : new int[] {0, 1, 63, 64, 125, 126, 127, 4095, 4096, 16377, 16378, 16379, 2097146}) {
            items.add(repeat('y', n));
            items.add(b(Long.toString(n)));
        }
        items.add(b("-9223372036854775808"));
        items.add(new byte[] {0, (byte) 0xFF, (byte) 0x80, 13, 10});
        byte[] a = lp(items);
        assertThat(Listpack.size(a, BASE)).isEqualTo(items.size());
        assertThat(Listpack.totalBytes(a, BASE)).isEqualTo(a.length - BASE);
        assertThat(forward(a)).containsExactlyElementsOf(items);
        assertThat(backward(a)).containsExactlyElementsOf(items);
        for (int i = 0; i < items.size(); i++) {
            int p = Listpack.seek(a, BASE, i);
            assertThat(Listpack.bytes(a, p)).isEqualTo(items.get(i));
            assertThat(Listpack.seek(a, BASE, i - items.size())).isEqualTo(p);
        }
        assertThat(Listpack.seek(a, BASE, items.size())).isEqualTo(-1);
        assertThat(Listpack.seek(a, BASE, -items.size() - 1)).isEqualTo(-1);
    }

    @Test
    void stringEntriesAreReadWithoutCopying() {
        byte[] bin = {0, (byte) 0xFF, (byte) 0xC0, (byte) 0xF4, '-', '1'};
        byte[] a = Listpack.append(lp("hello", "17"), BASE, bin, 0, bin.length);
        int p = Listpack.first(a, BASE);
        assertThat(Listpack.isInteger(a, p)).isFalse();
        assertThat(Listpack.stringOffset(a, p)).isEqualTo(p + 1);
        assertThat(Listpack.stringLength(a, p)).isEqualTo(5);
        assertThat(new String(a, Listpack.stringOffset(a, p), 5, StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        assertThat(Listpack.entryBytes(a, p)).isEqualTo(7);
        p = Listpack.next(a, p);
        assertThat(Listpack.isInteger(a, p)).isTrue();
        assertThat(Listpack.entryBytes(a, p)).isEqualTo(2);
        p = Listpack.next(a, p);
        assertThat(Listpack.bytes(a, p)).isEqualTo(bin);
        assertThat(Listpack.next(a, p)).isEqualTo(-1);
        byte[] big = repeat('z', 5000);
        a = Listpack.append(a, BASE, big, 0, big.length);
        p = Listpack.last(a, BASE);
        assertThat(Listpack.stringOffset(a, p)).isEqualTo(p + 5);
        assertThat(Listpack.stringLength(a, p)).isEqualTo(5000);
        a = Listpack.append(a, BASE, big, 0, 100);
        p = Listpack.last(a, BASE);
        assertThat(Listpack.stringOffset(a, p)).isEqualTo(p + 2);
        assertThat(Listpack.stringLength(a, p)).isEqualTo(100);
    }

    @Test
    void matchesComparesAsLpCompare() {
        byte[] a = lp("5", "abc", "-0", "");
        int five = Listpack.first(a, BASE);
        assertThat(Listpack.matches(a, five, b("5"), 0, 1)).isTrue();
        assertThat(Listpack.matches(a, five, b("x5x"), 1, 1)).isTrue();
        assertThat(Listpack.matches(a, five, b("05"), 0, 2)).isFalse();
        assertThat(Listpack.matches(a, five, b("+5"), 0, 2)).isFalse();
        assertThat(Listpack.matches(a, five, b("6"), 0, 1)).isFalse();
        int abc = Listpack.next(a, five);
        assertThat(Listpack.matches(a, abc, b("abc"), 0, 3)).isTrue();
        assertThat(Listpack.matches(a, abc, b("abcd"), 0, 3)).isTrue();
        assertThat(Listpack.matches(a, abc, b("abcd"), 0, 4)).isFalse();
        assertThat(Listpack.matches(a, abc, b("abd"), 0, 3)).isFalse();
        int minusZero = Listpack.next(a, abc);
        assertThat(Listpack.matches(a, minusZero, b("-0"), 0, 2)).isTrue();
        assertThat(Listpack.matches(a, minusZero, b("0"), 0, 1)).isFalse();
        int emptyString = Listpack.next(a, minusZero);
        assertThat(Listpack.matches(a, emptyString, b(""), 0, 0)).isTrue();
        assertThat(Listpack.matches(a, emptyString, b("0"), 0, 1)).isFalse();
    }

    @Test
    void findLooksAtEveryOtherEntryForHashFields() {
        // field, value, field, value, ...
        byte[] a = lp("f1", "1", "2", "x", "x", "y", "-7", "big");
        assertThat(Listpack.find(a, BASE, b("f1"), 0, 2, 1)).isEqualTo(Listpack.seek(a, BASE, 0));
        assertThat(Listpack.find(a, BASE, b("1"), 0, 1, 1)).isEqualTo(-1); // a value, not a field
        assertThat(Listpack.find(a, BASE, b("1"), 0, 1, 0)).isEqualTo(Listpack.seek(a, BASE, 1));
        assertThat(Listpack.find(a, BASE, b("2"), 0, 1, 1)).isEqualTo(Listpack.seek(a, BASE, 2));
        assertThat(Listpack.find(a, BASE, b("02"), 0, 2, 1)).isEqualTo(-1);
        assertThat(Listpack.find(a, BASE, b("x"), 0, 1, 1)).isEqualTo(Listpack.seek(a, BASE, 4));
        assertThat(Listpack.find(a, BASE, b("x"), 0, 1, 0)).isEqualTo(Listpack.seek(a, BASE, 3));
        assertThat(Listpack.find(a, BASE, b("-7"), 0, 2, 1)).isEqualTo(Listpack.seek(a, BASE, 6));
        assertThat(Listpack.find(a, BASE, b("y"), 0, 1, 1)).isEqualTo(-1);
        assertThat(Listpack.find(a, BASE, b("big"), 0, 3, 1)).isEqualTo(-1);
        assertThat(Listpack.find(a, BASE, b("y"), 0, 1, 2)).isEqualTo(-1);
        assertThat(Listpack.find(a, BASE, b("-7"), 0, 2, 2)).isEqualTo(Listpack.seek(a, BASE, 6));
        assertThat(Listpack.find(Listpack.empty(HEAD, BASE), BASE, b("x"), 0, 1, 0)).isEqualTo(-1);
        int from = Listpack.seek(a, BASE, 2);
        assertThat(Listpack.findFrom(a, from, b("f1"), 0, 2, 1)).isEqualTo(-1);
        assertThat(Listpack.findFrom(a, from, b("x"), 0, 1, 1)).isEqualTo(Listpack.seek(a, BASE, 4));
        assertThat(Listpack.findFrom(a, -1, b("x"), 0, 1, 1)).isEqualTo(-1);
    }

    @Test
    void deleteAtStartMiddleAndEnd() {
        byte[] a = lp("a", "1", "bb", "300", "ccc");
        byte[] before = a.clone();
        byte[] d = Listpack.delete(a, BASE, Listpack.first(a, BASE), 1);
        assertThat(d).isEqualTo(lp("1", "bb", "300", "ccc"));
        d = Listpack.delete(a, BASE, Listpack.seek(a, BASE, 1), 2);
        assertThat(d).isEqualTo(lp("a", "300", "ccc"));
        assertThat(Listpack.bytes(d, Listpack.seek(a, BASE, 1))).isEqualTo(b("300")); // p now holds the next entry
        d = Listpack.delete(a, BASE, Listpack.last(a, BASE), 1);
        assertThat(d).isEqualTo(lp("a", "1", "bb", "300"));
        d = Listpack.delete(a, BASE, Listpack.seek(a, BASE, 3), 10);
        assertThat(d).isEqualTo(lp("a", "1", "bb"));
        assertThat(Listpack.size(d, BASE)).isEqualTo(3);
        d = Listpack.delete(a, BASE, Listpack.first(a, BASE), 5);
        assertThat(d).isEqualTo(Listpack.empty(HEAD, BASE));
        assertThat(Listpack.delete(a, BASE, Listpack.first(a, BASE), 0)).isEqualTo(a);
        assertThat(a).isEqualTo(before);
    }

    @Test
    void replaceWithLargerSmallerAndIntegerEntries() {
        byte[] a = lp("a", "1", "bb");
        byte[] before = a.clone();
        byte[] long100 = repeat('L', 100);
        assertThat(Listpack.replace(a, BASE, Listpack.first(a, BASE), long100, 0, 100))
                .isEqualTo(lp(List.of(long100, b("1"), b("bb"))));
        assertThat(Listpack.replace(a, BASE, Listpack.seek(a, BASE, 1), b("-70000"), 0, 6)).isEqualTo(lp("a", "-70000", "bb"));
        assertThat(Listpack.replace(a, BASE, Listpack.last(a, BASE), b(""), 0, 0)).isEqualTo(lp("a", "1", ""));
        assertThat(Listpack.replaceInteger(a, BASE, Listpack.last(a, BASE), Long.MIN_VALUE))
                .isEqualTo(lp("a", "1", "-9223372036854775808"));
        byte[] big = lp(List.of(b("a"), repeat('B', 5000), b("c")));
        assertThat(Listpack.replace(big, BASE, Listpack.seek(big, BASE, 1), b("b"), 0, 1)).isEqualTo(lp("a", "b", "c"));
        assertThat(a).isEqualTo(before);
    }

    @Test
    void replaceInPlaceOnlyWhenTheEntryKeepsItsSize() {
        byte[] a = lp("abc", "7", "xy");
        assertThat(Listpack.replaceInPlace(a, Listpack.first(a, BASE), b("xyz"), 0, 3)).isTrue();
        assertThat(a).isEqualTo(lp("xyz", "7", "xy"));
        assertThat(Listpack.replaceInPlace(a, Listpack.seek(a, BASE, 1), b("99"), 0, 2)).isTrue(); // 7-bit uint to 7-bit uint
        assertThat(a).isEqualTo(lp("xyz", "99", "xy"));
        byte[] before = a.clone();
        assertThat(Listpack.replaceInPlace(a, Listpack.seek(a, BASE, 1), b("70000"), 0, 5)).isFalse(); // a wider integer
        assertThat(Listpack.replaceInPlace(a, Listpack.last(a, BASE), b("xyz"), 0, 3)).isFalse(); // a longer string
        assertThat(Listpack.replaceInPlace(a, Listpack.first(a, BASE), repeat('L', 64), 0, 64)).isFalse(); // a 12-bit length
        assertThat(a).isEqualTo(before);
        assertThat(Listpack.replaceInPlace(a, Listpack.last(a, BASE), b("q1"), 0, 2)).isTrue();
        assertThat(a).isEqualTo(lp("xyz", "99", "q1"));
    }

    @Test
    void insertAtStartMiddleAndEnd() {
        byte[] a = lp("a", "1", "bb");
        byte[] before = a.clone();
        assertThat(Listpack.prepend(a, BASE, b("0"), 0, 1)).isEqualTo(lp("0", "a", "1", "bb"));
        assertThat(Listpack.insertBefore(a, BASE, Listpack.first(a, BASE), b("z"), 0, 1)).isEqualTo(lp("z", "a", "1", "bb"));
        assertThat(Listpack.insertBefore(a, BASE, Listpack.seek(a, BASE, 2), b("mid"), 0, 3)).isEqualTo(lp("a", "1", "mid", "bb"));
        assertThat(Listpack.insertBefore(a, BASE, Listpack.end(a, BASE), b("e"), 0, 1)).isEqualTo(lp("a", "1", "bb", "e"));
        assertThat(Listpack.insertAfter(a, BASE, Listpack.last(a, BASE), b("e"), 0, 1)).isEqualTo(lp("a", "1", "bb", "e"));
        assertThat(Listpack.insertAfter(a, BASE, Listpack.first(a, BASE), b("99999"), 0, 5)).isEqualTo(lp("a", "99999", "1", "bb"));
        assertThat(Listpack.prepend(Listpack.empty(HEAD, BASE), BASE, b("x"), 0, 1)).isEqualTo(lp("x"));
        assertThat(Listpack.append(a, BASE, b("[tail]"), 1, 4)).isEqualTo(lp("a", "1", "bb", "tail"));
        assertThat(Listpack.appendPair(a, BASE, b("f"), 0, 1, b("12"), 0, 2)).isEqualTo(lp("a", "1", "bb", "f", "12"));
        byte[][] more = {b("skip"), b("x"), b("-5"), repeat('q', 70), b("skip")};
        assertThat(Listpack.appendAll(a, BASE, more, 1, 3)).isEqualTo(lp(List.of(b("a"), b("1"), b("bb"), b("x"), b("-5"), repeat('q', 70))));
        assertThat(a).isEqualTo(before);
    }

    @Test
    void headBytesAreCopiedUntouched() {
        byte[] head = new byte[300];
        new SplittableRandom(3).nextBytes(head);
        int base = 123;
        byte[] a = Listpack.empty(head, base);
        assertThat(Arrays.copyOf(a, base)).isEqualTo(Arrays.copyOf(head, base));
        a = Listpack.append(a, base, b("x"), 0, 1);
        a = Listpack.appendPair(a, base, b("k"), 0, 1, b("v"), 0, 1);
        a = Listpack.replace(a, base, Listpack.first(a, base), b("yy"), 0, 2);
        a = Listpack.insertBefore(a, base, Listpack.first(a, base), b("1"), 0, 1);
        a = Listpack.delete(a, base, Listpack.last(a, base), 1);
        assertThat(Arrays.copyOf(a, base)).isEqualTo(Arrays.copyOf(head, base));
        assertThat(a).hasSize(base + Listpack.totalBytes(a, base));
        assertThat(Arrays.copyOfRange(a, base, a.length)).isEqualTo(Arrays.copyOfRange(
                new Listpack.Builder().add(b("1")).add(b("yy")).add(b("k")).build(new byte[0], 0), 0, a.length - base));
    }

    @Test
    void builderMatchesAppendsAndCopiesEntries() {
        SplittableRandom r = new SplittableRandom(5);
        Listpack.Builder builder = new Listpack.Builder(1);
        byte[] a = Listpack.empty(HEAD, BASE);
        for (int i = 0; i < 500; i++) {
            byte[] s = randomItem(r);
            builder.add(s);
            a = Listpack.append(a, BASE, s, 0, s.length);
        }
        assertThat(builder.count()).isEqualTo(500);
        assertThat(builder.totalBytes()).isEqualTo(Listpack.totalBytes(a, BASE));
        assertThat(builder.build(HEAD, BASE)).isEqualTo(a);
        Listpack.Builder copy = new Listpack.Builder();
        for (int p = Listpack.first(a, BASE); p >= 0; p = Listpack.next(a, p)) {
            copy.addEntry(a, p);
        }
        assertThat(copy.build(HEAD, BASE)).isEqualTo(a);
        assertThat(builder.clear().add(b("x")).build(HEAD, BASE)).isEqualTo(lp("x"));
    }

    @Test
    void countSaturatesAt65535AndIsThenWalked() {
        Listpack.Builder builder = new Listpack.Builder();
        for (int i = 0; i < 65534; i++) {
            builder.addInteger(i & 127);
        }
        byte[] a = builder.build(HEAD, BASE);
        assertThat(headerCount(a)).isEqualTo(65534);
        byte[] full = Listpack.append(a, BASE, b("x"), 0, 1);
        assertThat(headerCount(full)).isEqualTo(65535);
        assertThat(Listpack.size(full, BASE)).isEqualTo(65535);
        byte[] over = Listpack.appendPair(a, BASE, b("x"), 0, 1, b("y"), 0, 1);
        assertThat(headerCount(over)).isEqualTo(65535);
        assertThat(Listpack.size(over, BASE)).isEqualTo(65536);
        assertThat(builder.add(b("x")).add(b("y")).build(HEAD, BASE)).isEqualTo(over);
        // A delete from an unknown count writes the real one back once it fits, as lpLength does after HDEL.
        byte[] shrunk = Listpack.delete(over, BASE, Listpack.first(over, BASE), 10);
        assertThat(headerCount(shrunk)).isEqualTo(65526);
        assertThat(shrunk).isEqualTo(withoutFirst(over, 10));
        byte[] stillOver = Listpack.delete(over, BASE, Listpack.first(over, BASE), 1);
        assertThat(headerCount(stillOver)).isEqualTo(65535);
        assertThat(Listpack.size(stillOver, BASE)).isEqualTo(65535);
        assertThat(headerCount(Listpack.delete(stillOver, BASE, Listpack.last(stillOver, BASE), 1))).isEqualTo(65534);
        byte[] replaced = Listpack.replace(over, BASE, Listpack.first(over, BASE), b("r"), 0, 1);
        assertThat(headerCount(replaced)).isEqualTo(65535);
        assertThat(Listpack.size(replaced, BASE)).isEqualTo(65536);
        // Seeking with an unknown count walks from the end for negative indexes.
        assertThat(Listpack.bytes(over, Listpack.seek(over, BASE, -1))).isEqualTo(b("y"));
        assertThat(Listpack.bytes(over, Listpack.seek(over, BASE, 65535))).isEqualTo(b("y"));
        assertThat(Listpack.seek(over, BASE, 65536)).isEqualTo(-1);
        assertThat(Listpack.seek(over, BASE, -65537)).isEqualTo(-1);
        assertThat(Listpack.integer(over, Listpack.seek(over, BASE, -65536))).isZero();
        byte[] replacedBelow = Listpack.replace(a, BASE, Listpack.first(a, BASE), b("r"), 0, 1);
        assertThat(headerCount(replacedBelow)).isEqualTo(65534);
    }

    @Test
    void safeToAddStopsAtOneGibibyte() {
        byte[] a = Listpack.empty(HEAD, BASE);
        assertThat(Listpack.safeToAdd(a, BASE, Listpack.MAX_SAFE_BYTES - 7)).isTrue();
        assertThat(Listpack.safeToAdd(a, BASE, Listpack.MAX_SAFE_BYTES - 6)).isFalse();
        assertThat(Listpack.safeToAdd(a, BASE, Integer.MAX_VALUE)).isFalse();
    }

    /** Random operations against a plain list: every result must equal building the list afresh. */
    @Test
    void randomOperationsAgreeWithAListModel() {
        SplittableRandom r = new SplittableRandom(20240607);
        for (int round = 0; round < 40; round++) {
            List<byte[]> model = new ArrayList<>();
            byte[] a = Listpack.empty(HEAD, BASE);
            for (int step = 0; step < 300; step++) {
                int n = model.size();
                byte[] s = randomItem(r);
                byte[] source = a;
                byte[] sourceCopy = a.clone();
                int op = r.nextInt(10);
                if (op == 0 || n == 0) {
                    a = Listpack.append(a, BASE, s, 0, s.length);
                    model.add(s);
                } else if (op == 1) {
                    byte[] t = randomItem(r);
                    a = Listpack.appendPair(a, BASE, s, 0, s.length, t, 0, t.length);
                    model.add(s);
                    model.add(t);
                } else if (op == 2) {
                    int i = r.nextInt(n + 1);
                    int p = i == n ? Listpack.end(a, BASE) : Listpack.seek(a, BASE, i);
                    a = Listpack.insertBefore(a, BASE, p, s, 0, s.length);
                    model.add(i, s);
                } else if (op == 3) {
                    int i = r.nextInt(n);
                    a = Listpack.insertAfter(a, BASE, Listpack.seek(a, BASE, i), s, 0, s.length);
                    model.add(i + 1, s);
                } else if (op == 4 || op == 5) {
                    int i = r.nextInt(n);
                    a = Listpack.replace(a, BASE, Listpack.seek(a, BASE, i), s, 0, s.length);
                    model.set(i, s);
                } else if (op == 6 || op == 7) {
                    int i = r.nextInt(n);
                    int count = 1 + r.nextInt(3);
                    a = Listpack.delete(a, BASE, Listpack.seek(a, BASE, i), count);
                    model.subList(i, Math.min(n, i + count)).clear();
                } else if (op == 8) {
                    long v = randomLong(r);
                    a = Listpack.appendInteger(a, BASE, v);
                    model.add(b(Long.toString(v)));
                } else {
                    a = Listpack.prepend(a, BASE, s, 0, s.length);
                    model.add(0, s);
                }
                assertThat(source).as("the source is never written").isEqualTo(sourceCopy);
                assertThat(a).as("round %d step %d op %d", round, step, op).isEqualTo(lp(model));
                assertThat(Listpack.size(a, BASE)).isEqualTo(model.size());
                if (step % 25 == 0) {
                    assertThat(forward(a)).containsExactlyElementsOf(model);
                    assertThat(backward(a)).containsExactlyElementsOf(model);
                    checkFind(a, model, randomItem(r));
                    if (!model.isEmpty()) {
                        checkFind(a, model, model.get(r.nextInt(model.size())));
                    }
                }
            }
        }
    }

    private static void checkFind(byte[] a, List<byte[]> model, byte[] key) {
        for (int skip = 0; skip <= 2; skip++) {
            int expected = -1;
            for (int i = 0; i < model.size(); i += skip + 1) {
                if (Arrays.equals(model.get(i), key)) {
                    expected = Listpack.seek(a, BASE, i);
                    break;
                }
            }
            assertThat(Listpack.find(a, BASE, key, 0, key.length, skip)).isEqualTo(expected);
        }
    }

    /** A listpack built afresh from {@code a}'s entries after the first {@code n}. */
    private static byte[] withoutFirst(byte[] a, int n) {
        Listpack.Builder builder = new Listpack.Builder();
        for (int p = Listpack.seek(a, BASE, n); p >= 0; p = Listpack.next(a, p)) {
            builder.addEntry(a, p);
        }
        return builder.build(HEAD, BASE);
    }

    private static int headerCount(byte[] a) {
        return (a[BASE + 4] & 0xFF) | (a[BASE + 5] & 0xFF) << 8;
    }

    private static long randomLong(SplittableRandom r) {
        return r.nextLong() >> r.nextInt(64);
    }

    /** Integers of every width, near-integers, short and long strings, binary bytes. */
    private static byte[] randomItem(SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0:
                return b(Long.toString(r.nextInt(-200, 200)));
            case 1:
                return b(Long.toString(randomLong(r)));
            case 2:
                return b(new String[] {"-0", "01", "+1", " 1", "", "-", "9223372036854775808", "0"}[r.nextInt(8)]);
            case 3: {
                byte[] s = new byte[r.nextInt(8)];
                r.nextBytes(s);
                return s;
            }
            case 4:
                return repeat((char) ('a' + r.nextInt(3)), r.nextInt(1, 3));
            case 5:
                return repeat('m', r.nextInt(50, 140));
            case 6:
                return r.nextInt(10) == 0 ? repeat('h', r.nextInt(4090, 4200)) : repeat('s', r.nextInt(0, 64));
            default:
                return b("k" + r.nextInt(20));
        }
    }
}
