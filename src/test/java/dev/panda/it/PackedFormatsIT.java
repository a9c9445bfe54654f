package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.panda.store.value.Intset;
import dev.panda.store.value.Listpack;
import dev.panda.store.value.RedisIntegers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Panda's {@link Listpack} and {@link Intset} against Debian's real redis-server: commands given
 * to Redis and replayed on Panda's codecs as Redis's t_hash.c, t_set.c and t_list.c apply them
 * must leave the very bytes Redis holds. Redis's bytes are read back through DUMP, whose payload
 * carries the listpack or intset verbatim once rdbcompression is off. Skipped loudly without
 * redis-server; fails in CI. Test thread.
 */
class PackedFormatsIT {
    // rdb.h
    private static final int RDB_TYPE_SET_INTSET = 11;
    private static final int RDB_TYPE_HASH_LISTPACK = 16;
    private static final int RDB_TYPE_LIST_QUICKLIST_2 = 18;
    private static final int QUICKLIST_NODE_CONTAINER_PACKED = 2;
    /** DUMP's trailer: the RDB version (2 bytes) and a CRC64 (8). */
    private static final int DUMP_TRAILER = 10;

    /** In Panda a keyspace entry's header comes first; the packed value follows it. */
    private static final byte[] HEAD = "entry-header:k\u0000".getBytes(StandardCharsets.ISO_8859_1);
    private static final int BASE = HEAD.length;
    private static final HexFormat HEX = HexFormat.of();

    private static RealRedis redis;
    private static RespConnection c;

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.startOrSkip();
        c = new RespConnection(redis.port);
        assertThat(c.call("CONFIG", "SET", "rdbcompression", "no")).isEqualTo(RespConnection.OK);
        // Room for the 16378-byte values (a 3-byte backlen) and the 65536-entry hash.
        assertThat(c.call("CONFIG", "SET", "hash-max-listpack-value", "20000")).isEqualTo(RespConnection.OK);
        assertThat(c.call("CONFIG", "SET", "hash-max-listpack-entries", "40000")).isEqualTo(RespConnection.OK);
    }

    @AfterAll
    static void stop() throws Exception {
        if (c != null) {
            c.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] repeat(char ch, int n) {
        byte[] s = new byte[n];
        Arrays.fill(s, (byte) ch);
        return s;
    }

    // ---------------------------------------------------------------- hashes

    @Test
    void hashesOfEveryEncodingMatchRedis() throws IOException {
        HashReplay h = new HashReplay("h:encodings");
        h.hset("name", "panda");
        h.hset("0", "0", "127", "128", "-1", "4095", "-4096", "4096", "-4097", "32767", "-32768", "32768");
        h.hset("-32769", "8388607", "-8388608", "8388608", "-8388609", "2147483647", "-2147483648", "2147483648");
        h.hset("-2147483649", "9223372036854775807", "-9223372036854775808", "1");
        h.hset("-0", "01", "+1", " 1", "1 ", "00", "9223372036854775808", "-9223372036854775809");
        h.hset("18446744073709551616", "100000000000000000000");
        h.hset(b(""), b("empty field"), b("empty value"), b(""));
        h.hset(b("bin\u0000\u00ff"), new byte[] {0, (byte) 0xFF, (byte) 0x80, (byte) 0xF0, '\r', '\n', -1});
        h.hset(b("s63"), repeat('a', 63), b("s64"), repeat('b', 64));
        h.hset(b("s125"), repeat('c', 125), b("s126"), repeat('d', 126));
        h.hset(b("s4095"), repeat('e', 4095), b("s4096"), repeat('f', 4096));
        h.hset(b("s5000"), repeat('g', 5000));
        h.hset(b("s16377"), repeat('h', 16377), b("s16378"), repeat('i', 16378));
        h.checkAgainstRedis();

        // Replacements by values of another size or kind, at the start, middle and end.
        h.hset(b("name"), repeat('N', 5000));
        h.hset("0", "-9223372036854775808");
        h.hset(b("s5000"), b("1"));
        h.hset(b("bin\u0000\u00ff"), b("x"));
        h.hset(b("s16378"), repeat('j', 70));
        h.hset("127", "a string now", "-1", "-1");
        h.checkAgainstRedis();

        // Deletes at the start, middle and end, and of absent fields.
        h.hdel("name", "s4095", "no such field", "127");
        h.hdel(b("s16378"));
        h.checkAgainstRedis();
        h.hset("new", "pair", "-4096", "replaced", "another", "1234567890123");
        h.checkAgainstRedis();
    }

    @Test
    void randomHashCommandsMatchRedis() throws IOException {
        SplittableRandom r = new SplittableRandom(4711);
        HashReplay h = new HashReplay("h:random");
        h.hset("seed", "1");
        for (int step = 1; step <= 300; step++) {
            if (r.nextInt(4) == 0) {
                h.hdel(randomItem(r, true));
            } else {
                h.hset(randomItem(r, true), randomItem(r, false), randomItem(r, true), randomItem(r, false));
            }
            if (step % 30 == 0) {
                h.checkAgainstRedis();
            }
        }
    }

    /** Past 65535 entries the header's count saturates; an HDEL brings the real count back. */
    @Test
    void aHashPastTheCountLimitMatchesRedis() throws IOException {
        HashReplay h = new HashReplay("h:big");
        int pairs = 32768;
        int batch = 1024;
        for (int from = 0; from < pairs; from += batch) {
            byte[][] fieldsAndValues = new byte[2 * batch][];
            for (int i = 0; i < batch; i++) {
                fieldsAndValues[2 * i] = b("f" + (from + i));
                fieldsAndValues[2 * i + 1] = b(Integer.toString(from + i));
            }
            // Every field is new: append them in one go rather than searching for each.
            h.redis("HSET", fieldsAndValues);
            h.lp = Listpack.appendAll(h.lp, BASE, fieldsAndValues, 0, fieldsAndValues.length);
        }
        assertThat(Listpack.size(h.lp, BASE)).isEqualTo(2 * pairs);
        h.checkAgainstRedis();
        h.hset("f100", "replaced");
        h.checkAgainstRedis();
        h.hdel("f0");
        h.checkAgainstRedis();
        h.hdel("f1");
        h.checkAgainstRedis();
    }

    /** A hash replayed on Panda's listpack the way t_hash.c's hashTypeSet and hashTypeDelete do it. */
    private static final class HashReplay {
        final byte[] key;
        byte[] lp = Listpack.empty(HEAD, BASE);

        HashReplay(String key) throws IOException {
            this.key = b(key);
            c.call("DEL", key);
        }

        void hset(String... fieldsAndValues) throws IOException {
            byte[][] args = new byte[fieldsAndValues.length][];
            for (int i = 0; i < args.length; i++) {
                args[i] = b(fieldsAndValues[i]);
            }
            hset(args);
        }

        void hset(byte[]... fieldsAndValues) throws IOException {
            redis("HSET", fieldsAndValues);
            for (int i = 0; i < fieldsAndValues.length; i += 2) {
                byte[] f = fieldsAndValues[i];
                byte[] v = fieldsAndValues[i + 1];
                int p = Listpack.find(lp, BASE, f, 0, f.length, 1);
                lp = p >= 0
                        ? Listpack.replace(lp, BASE, Listpack.next(lp, p), v, 0, v.length)
                        : Listpack.appendPair(lp, BASE, f, 0, f.length, v, 0, v.length);
            }
        }

        void hdel(String... fields) throws IOException {
            byte[][] args = new byte[fields.length][];
            for (int i = 0; i < args.length; i++) {
                args[i] = b(fields[i]);
            }
            hdel(args);
        }

        void hdel(byte[]... fields) throws IOException {
            redis("HDEL", fields);
            for (byte[] f : fields) {
                int p = Listpack.find(lp, BASE, f, 0, f.length, 1);
                if (p >= 0) {
                    lp = Listpack.delete(lp, BASE, p, 2);
                }
            }
        }

        void redis(String command, byte[][] rest) throws IOException {
            byte[][] args = new byte[rest.length + 2][];
            args[0] = b(command);
            args[1] = key;
            System.arraycopy(rest, 0, args, 2, rest.length);
            assertThat(c.callBinary(args)).as(command).startsWith(":");
        }

        void checkAgainstRedis() throws IOException {
            String k = new String(key, StandardCharsets.ISO_8859_1);
            assertThat(c.call("OBJECT", "ENCODING", k)).isEqualTo(RespConnection.bulk("listpack"));
            byte[] payload = c.callForBulk("DUMP", k);
            Payload d = new Payload(payload, RDB_TYPE_HASH_LISTPACK);
            byte[] blob = d.string();
            d.end();
            assertSameBytes(lp, blob);
        }
    }

    // ---------------------------------------------------------------- sets

    @Test
    void intsetsOfEveryWidthMatchRedis() throws IOException {
        SetReplay s = new SetReplay("s:widths");
        s.sadd(5, -3, 300, 0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE);
        s.checkAgainstRedis(2);
        s.sadd(Short.MAX_VALUE + 1L);
        s.checkAgainstRedis(4);
        s.sadd(Short.MIN_VALUE - 1L, Integer.MIN_VALUE, Integer.MAX_VALUE, 5);
        s.checkAgainstRedis(4);
        s.sadd(Integer.MIN_VALUE - 1L);
        s.checkAgainstRedis(8);
        s.sadd(Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L);
        s.checkAgainstRedis(8);
        // Removals never narrow the width.
        s.srem(Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE - 1L, Integer.MAX_VALUE + 1L, 12345, -3);
        s.checkAgainstRedis(8);

        SetReplay straight = new SetReplay("s:16to64");
        straight.sadd(-7, 7);
        straight.checkAgainstRedis(2);
        straight.sadd(1L << 40);
        straight.checkAgainstRedis(8);
        straight.sadd(-(1L << 40));
        straight.checkAgainstRedis(8);

        SetReplay negativeUpgrade = new SetReplay("s:negative");
        negativeUpgrade.sadd(1, 2, 3);
        negativeUpgrade.sadd(-100_000);
        negativeUpgrade.checkAgainstRedis(4);
    }

    @Test
    void randomIntsetCommandsMatchRedis() throws IOException {
        SplittableRandom r = new SplittableRandom(1234);
        for (int round = 0; round < 6; round++) {
            SetReplay s = new SetReplay("s:random" + round);
            int bits = new int[] {8, 16, 17, 32, 33, 64}[round];
            s.sadd(0);
            for (int step = 1; step <= 300; step++) {
                long v = r.nextLong() >> (64 - bits);
                if (r.nextInt(4) == 0) {
                    s.srem(v);
                } else {
                    s.sadd(v);
                }
                if (step % 50 == 0) {
                    s.sadd(0); // never empty, or Redis would delete the key
                    s.checkAgainstRedis(0);
                }
            }
        }
    }

    /** A set of integers replayed on Panda's intset as t_set.c's setTypeAdd and setTypeRemove do it. */
    private static final class SetReplay {
        final String key;
        byte[] is = Intset.empty(HEAD, BASE);

        SetReplay(String key) throws IOException {
            this.key = key;
            c.call("DEL", key);
        }

        void sadd(long... values) throws IOException {
            redis("SADD", values);
            for (long v : values) {
                is = Intset.add(is, BASE, member(v));
            }
        }

        void srem(long... values) throws IOException {
            redis("SREM", values);
            for (long v : values) {
                is = Intset.remove(is, BASE, member(v));
            }
            if (Intset.size(is, BASE) == 0) {
                is = Intset.empty(HEAD, BASE); // Redis deletes an emptied set; the next SADD starts at 16 bits
            }
        }

        /** The member as Redis reads it from the command: text that must be a canonical integer. */
        private static long member(long v) {
            byte[] text = RedisIntegers.toBytes(v);
            assertThat(RedisIntegers.isCanonical(text, 0, text.length)).isTrue();
            return RedisIntegers.parseCanonical(text, 0, text.length);
        }

        private void redis(String command, long[] values) throws IOException {
            String[] args = new String[values.length + 2];
            args[0] = command;
            args[1] = key;
            for (int i = 0; i < values.length; i++) {
                args[i + 2] = Long.toString(values[i]);
            }
            assertThat(c.call(args)).as(command).startsWith(":");
        }

        /** {@code width} 0: whatever it is, as long as the bytes agree. */
        void checkAgainstRedis(int width) throws IOException {
            assertThat(c.call("OBJECT", "ENCODING", key)).isEqualTo(RespConnection.bulk("intset"));
            Payload d = new Payload(c.callForBulk("DUMP", key), RDB_TYPE_SET_INTSET);
            byte[] blob = d.string();
            d.end();
            if (width != 0) {
                assertThat(Intset.encoding(is, BASE)).isEqualTo(width);
            }
            assertThat(is).hasSize(BASE + Intset.blobLength(is, BASE));
            assertSameBytes(is, blob);
        }
    }

    // ---------------------------------------------------------------- lists

    /** A small list is one quicklist node holding one listpack: pushes, inserts, sets and removals. */
    @Test
    void listEditsMatchRedis() throws IOException {
        String key = "l:edits";
        c.call("DEL", key);
        byte[] lp = Listpack.empty(HEAD, BASE);
        String[] tail = {"a", "1", "-1", "300", "70000", "-0", "", "x".repeat(70), "2147483648", "b"};
        c.call(concat(new String[] {"RPUSH", key}, tail));
        for (String s : tail) {
            lp = Listpack.append(lp, BASE, b(s), 0, s.length());
        }
        String[] head = {"h1", "42", "h3"};
        c.call(concat(new String[] {"LPUSH", key}, head));
        for (String s : head) {
            lp = Listpack.prepend(lp, BASE, b(s), 0, s.length());
        }
        checkList(key, lp);

        assertThat(c.call("LINSERT", key, "BEFORE", "300", "before-300")).startsWith(":");
        lp = Listpack.insertBefore(lp, BASE, Listpack.find(lp, BASE, b("300"), 0, 3, 0), b("before-300"), 0, 10);
        assertThat(c.call("LINSERT", key, "AFTER", "b", "-5")).startsWith(":");
        lp = Listpack.insertAfter(lp, BASE, Listpack.find(lp, BASE, b("b"), 0, 1, 0), b("-5"), 0, 2);
        assertThat(c.call("LINSERT", key, "BEFORE", "h3", "9999999999")).startsWith(":");
        lp = Listpack.insertBefore(lp, BASE, Listpack.find(lp, BASE, b("h3"), 0, 2, 0), b("9999999999"), 0, 10);
        checkList(key, lp);

        String[][] sets = {{"0", "first"}, {"5", "y".repeat(100)}, {"-1", "12"}, {"7", ""}};
        for (String[] set : sets) {
            assertThat(c.call("LSET", key, set[0], set[1])).isEqualTo(RespConnection.OK);
            byte[] v = b(set[1]);
            lp = Listpack.replace(lp, BASE, Listpack.seek(lp, BASE, Long.parseLong(set[0])), v, 0, v.length);
        }
        checkList(key, lp);

        c.call("RPUSH", key, "1", "1");
        lp = Listpack.append(lp, BASE, b("1"), 0, 1);
        lp = Listpack.append(lp, BASE, b("1"), 0, 1);
        int removed = 0;
        for (int p = Listpack.find(lp, BASE, b("1"), 0, 1, 0); p >= 0; p = Listpack.find(lp, BASE, b("1"), 0, 1, 0)) {
            lp = Listpack.delete(lp, BASE, p, 1);
            removed++;
        }
        assertThat(removed).isGreaterThan(1);
        assertThat(c.call("LREM", key, "0", "1")).isEqualTo(RespConnection.integer(removed));
        assertThat(c.call("LTRIM", key, "2", "-3")).isEqualTo(RespConnection.OK);
        lp = Listpack.delete(lp, BASE, Listpack.first(lp, BASE), 2);
        lp = Listpack.delete(lp, BASE, Listpack.seek(lp, BASE, -2), 2);
        checkList(key, lp);
    }

    private static void checkList(String key, byte[] lp) throws IOException {
        assertThat(c.call("OBJECT", "ENCODING", key)).isEqualTo(RespConnection.bulk("quicklist"));
        Payload d = new Payload(c.callForBulk("DUMP", key), RDB_TYPE_LIST_QUICKLIST_2);
        assertThat(d.length()).as("quicklist nodes").isEqualTo(1);
        assertThat(d.length()).as("node container").isEqualTo(QUICKLIST_NODE_CONTAINER_PACKED);
        byte[] blob = d.string();
        d.end();
        assertSameBytes(lp, blob);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    /** Panda's array must be the head, then exactly Redis's blob. */
    private static void assertSameBytes(byte[] panda, byte[] redisBlob) {
        assertThat(Arrays.copyOf(panda, BASE)).as("head").isEqualTo(HEAD);
        byte[] mine = Arrays.copyOfRange(panda, BASE, panda.length);
        int diff = Arrays.mismatch(mine, redisBlob);
        if (diff >= 0) {
            int from = Math.max(0, diff - 16);
            fail("Panda's bytes differ from Redis's at offset %d (Panda %d bytes, Redis %d)%n panda: %s%n redis: %s",
                    diff, mine.length, redisBlob.length,
                    HEX.formatHex(mine, from, Math.min(mine.length, diff + 16)),
                    HEX.formatHex(redisBlob, from, Math.min(redisBlob.length, diff + 16)));
        }
    }

    /** A DUMP payload: the RDB type byte, the value in RDB encoding, then the trailer. */
    private static final class Payload {
        private final byte[] d;
        private int i;

        Payload(byte[] dump, int expectedType) {
            assertThat(dump).as("DUMP reply").isNotNull();
            d = dump;
            assertThat(d[0] & 0xFF).as("RDB type").isEqualTo(expectedType);
            i = 1;
        }

        /** rdbLoadLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian lengths. */
        long length() {
            int first = d[i] & 0xFF;
            switch (first >> 6) {
                case 0 -> {
                    i += 1;
                    return first & 0x3F;
                }
                case 1 -> {
                    long n = (first & 0x3F) << 8 | (d[i + 1] & 0xFF);
                    i += 2;
                    return n;
                }
                case 2 -> {
                    int bytes = first == 0x80 ? 4 : 8;
                    assertThat(first).as("length prefix").isIn(0x80, 0x81);
                    long n = 0;
                    for (int k = 1; k <= bytes; k++) {
                        n = n << 8 | (d[i + k] & 0xFF);
                    }
                    i += 1 + bytes;
                    return n;
                }
                default -> throw new AssertionError("an encoded (integer or LZF) string, not a verbatim one: "
                        + "is rdbcompression off? prefix " + Integer.toHexString(first));
            }
        }

        /** rdbSaveRawString stored verbatim: a length, then the bytes. */
        byte[] string() {
            int n = Math.toIntExact(length());
            byte[] s = Arrays.copyOfRange(d, i, i + n);
            i += n;
            return s;
        }

        void end() {
            assertThat(d.length - i).as("bytes left after the value").isEqualTo(DUMP_TRAILER);
        }
    }

    /** Hash fields and values: integers of every width, near-integers, strings of every length class, binary. */
    private static byte[] randomItem(SplittableRandom r, boolean field) {
        switch (r.nextInt(7)) {
            case 0:
                return b(Long.toString(r.nextInt(-5000, 5000)));
            case 1:
                return b(Long.toString(r.nextLong() >> r.nextInt(64)));
            case 2:
                return b(new String[] {"-0", "01", "+1", " 1", "", "9223372036854775808", "0"}[r.nextInt(7)]);
            case 3: {
                byte[] s = new byte[r.nextInt(6)];
                r.nextBytes(s);
                return s;
            }
            case 4:
                return field ? b("f" + r.nextInt(40)) : repeat('v', r.nextInt(60, 200));
            case 5:
                return field ? b("g" + r.nextInt(40)) : repeat('w', r.nextInt(4000, 4200));
            default:
                return b((field ? "k" : "v") + r.nextInt(30));
        }
    }
}
