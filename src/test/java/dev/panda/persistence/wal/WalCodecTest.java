package dev.panda.persistence.wal;

import static dev.panda.persistence.wal.WalTestSupport.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class WalCodecTest {

    private static WalRecord roundTrip(WalRecord r) throws WalFormatException {
        WalBuffer buf = new WalBuffer(16);
        int n = WalCodec.encode(r, buf);
        assertThat(n).isEqualTo(buf.size());
        ByteBuffer in = ByteBuffer.wrap(buf.toByteArray());
        WalRecord back = WalCodec.decode(in);
        assertThat(in.remaining()).isZero();
        return back;
    }

    private static byte[] allByteValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    @Test
    void everyRecordKindRoundTrips() throws Exception {
        List<WalRecord> records = List.of(
                new WalRecord.Set(1, 0, b("k"), WalRecord.VALUE_TYPE_STRING, b("v"), -1),
                new WalRecord.Set(2, 15, b("k2"), (byte) 7, b("value"), 1_700_000_000_123L),
                new WalRecord.Delete(3, 3, b("gone")),
                new WalRecord.ExpireAt(4, 9, b("ttl"), 1_800_000_000_000L),
                new WalRecord.Persist(5, 1, b("keep")),
                new WalRecord.FlushDb(6, 12),
                new WalRecord.SwapDb(Long.MAX_VALUE, 0, 15));
        for (WalRecord r : records) {
            assertThat(roundTrip(r)).isEqualTo(r).hasSameHashCodeAs(r);
        }
    }

    @Test
    void listAndSortedSetEffectsRoundTrip() throws Exception {
        byte[] score = new byte[8];
        java.nio.ByteBuffer.wrap(score).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(-2.5);
        List<WalRecord> records = List.of(
                new WalRecord.Items(1, WalOpcode.LIST_PUSH_HEAD, 0, b("l"), new byte[][] {b("a"), b(""), b("c")}),
                new WalRecord.Items(2, WalOpcode.LIST_PUSH_TAIL, 1, b("l"), new byte[][] {b("z")}),
                new WalRecord.Items(3, WalOpcode.LIST_POP_HEAD, 0, b("l"), new byte[][] {b("2")}),
                new WalRecord.Items(4, WalOpcode.LIST_POP_TAIL, 0, b("l"), new byte[][] {b("1")}),
                new WalRecord.Items(5, WalOpcode.LIST_SET, 0, b("l"), new byte[][] {b("-1"), b("v")}),
                new WalRecord.Items(6, WalOpcode.LIST_INSERT, 0, b("l"), new byte[][] {b("3"), b("v")}),
                new WalRecord.Items(7, WalOpcode.LIST_REMOVE, 0, b("l"), new byte[][] {b("-2"), b("v")}),
                new WalRecord.Items(8, WalOpcode.ZSET_ADD, 2, b("z"), new byte[][] {b("m"), score}),
                new WalRecord.Items(9, WalOpcode.ZSET_REMOVE, 2, b("z"), new byte[][] {b("m"), b("n")}),
                new WalRecord.Items(10, WalOpcode.FUNCTION_LOAD, 0, b("lib"), new byte[][] {b("#!lua name=lib\nreturn")}),
                new WalRecord.Items(11, WalOpcode.FUNCTION_DELETE, 0, b("lib"), new byte[0][]),
                new WalRecord.Items(12, WalOpcode.FUNCTION_FLUSH, 0, b(""), new byte[0][]));
        for (WalRecord r : records) {
            assertThat(roundTrip(r)).isEqualTo(r).hasSameHashCodeAs(r);
        }
        assertThat(((WalRecord.Items) records.get(6)).number()).isEqualTo(-2);
    }

    @Test
    void malformedListAndSortedSetEffectsAreBadPayloads() {
        // LIST_POP_HEAD whose count is not a number: db 0, key "k", one item "x"
        byte[] pop = {0, 0, 0, 0, 1, 0, 0, 0, 'k', 1, 0, 0, 0, 1, 0, 0, 0, 'x'};
        assertThat(kindOf(frame(1, 17, pop))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
        // ZSET_ADD with a 1-byte score
        byte[] add = {0, 0, 0, 0, 1, 0, 0, 0, 'k', 2, 0, 0, 0, 1, 0, 0, 0, 'm', 1, 0, 0, 0, 7};
        assertThat(kindOf(frame(1, 22, add))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
    }

    @Test
    void emptyKeysAndValuesRoundTrip() throws Exception {
        byte[] empty = new byte[0];
        for (WalRecord r : List.of(
                new WalRecord.Set(1, 0, empty, WalRecord.VALUE_TYPE_STRING, empty, -1),
                new WalRecord.Delete(2, 0, empty),
                new WalRecord.ExpireAt(3, 0, empty, 0),
                new WalRecord.Persist(4, 0, empty))) {
            assertThat(roundTrip(r)).isEqualTo(r);
        }
    }

    @Test
    void binaryKeysAndValuesRoundTripByteForByte() throws Exception {
        byte[] all = allByteValues();
        WalRecord.Set set = new WalRecord.Set(9, 2, all, WalRecord.VALUE_TYPE_STRING, all.clone(), -1);
        WalRecord back = roundTrip(set);
        assertThat(((WalRecord.Set) back).key()).containsExactly(all);
        assertThat(((WalRecord.Set) back).value()).containsExactly(all);
        assertThat(roundTrip(new WalRecord.Delete(10, 2, b("\r\n\0")))).isEqualTo(new WalRecord.Delete(10, 2, b("\r\n\0")));
    }

    @Test
    void largeValueRoundTrips() throws Exception {
        byte[] value = new byte[8 * 1024 * 1024 + 3];
        new Random(42).nextBytes(value);
        WalRecord.Set set = new WalRecord.Set(77, 0, b("big"), WalRecord.VALUE_TYPE_STRING, value, 123);
        assertThat(roundTrip(set)).isEqualTo(set);
    }

    @Test
    void recordsDecodeOneAfterAnotherFromOneBuffer() throws Exception {
        WalBuffer buf = new WalBuffer();
        List<WalRecord> written = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            WalRecord r = WalTestSupport.withSeq(WalTestSupport.sample(i), i);
            written.add(r);
            WalCodec.encode(r, buf);
        }
        ByteBuffer in = ByteBuffer.wrap(buf.toByteArray());
        List<WalRecord> read = new ArrayList<>();
        CRC32C crc = new CRC32C();
        while (in.hasRemaining()) {
            read.add(WalCodec.decode(in, crc));
        }
        assertThat(read).containsExactlyElementsOf(written);
    }

    /** Pins the on-disk layout: little-endian, [len][crc][seq][opcode][payload]. */
    @Test
    void layoutIsLittleEndianLengthCrcSeqOpcodePayload() {
        WalBuffer buf = new WalBuffer();
        WalCodec.encode(new WalRecord.Delete(0x0102030405060708L, 3, b("ab")), buf);
        byte[] bytes = buf.toByteArray();
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = 8 + 1 + 4 + 4 + 2;
        assertThat(bytes).hasSize(8 + length);
        assertThat(le.getInt(0)).isEqualTo(length);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 8, length);
        assertThat(le.getInt(4)).isEqualTo((int) crc.getValue());
        assertThat(le.getLong(8)).isEqualTo(0x0102030405060708L);
        assertThat(bytes[8]).isEqualTo((byte) 0x08); // least significant byte first
        assertThat(bytes[16]).isEqualTo(WalOpcode.DELETE.code());
        assertThat(le.getInt(17)).isEqualTo(3);
        assertThat(le.getInt(21)).isEqualTo(2);
        assertThat(new String(bytes, 25, 2)).isEqualTo("ab");
    }

    @Test
    void setPayloadLayout() {
        WalBuffer buf = new WalBuffer();
        WalCodec.encode(new WalRecord.Set(1, 2, b("k"), (byte) 0, b("vv"), -1), buf);
        ByteBuffer le = ByteBuffer.wrap(buf.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getInt(17)).isEqualTo(2);      // db
        assertThat(le.getInt(21)).isEqualTo(1);      // key length
        assertThat(le.get(25)).isEqualTo((byte) 'k');
        assertThat(le.get(26)).isEqualTo((byte) 0);  // value type
        assertThat(le.getInt(27)).isEqualTo(2);      // value length
        assertThat(le.get(31)).isEqualTo((byte) 'v');
        assertThat(le.getLong(33)).isEqualTo(-1L);   // deadline
        assertThat(le.capacity()).isEqualTo(41);
    }

    @Test
    void aFlippedByteAnywhereFailsTheCrc() throws Exception {
        WalBuffer buf = new WalBuffer();
        WalCodec.encode(new WalRecord.Set(5, 1, b("key"), (byte) 0, b("value"), 99), buf);
        byte[] good = buf.toByteArray();
        for (int i = 4; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> WalCodec.decode(ByteBuffer.wrap(bad)))
                    .isInstanceOf(WalFormatException.class)
                    .satisfies(e -> assertThat(((WalFormatException) e).kind()).isEqualTo(WalFormatException.Kind.BAD_CRC));
        }
    }

    @Test
    void anIncompleteRecordIsTruncatedAndLeavesThePositionAlone() {
        WalBuffer buf = new WalBuffer();
        WalCodec.encode(new WalRecord.Persist(5, 1, b("key")), buf);
        byte[] whole = buf.toByteArray();
        for (int cut = 0; cut < whole.length; cut++) {
            ByteBuffer in = ByteBuffer.wrap(whole, 0, cut);
            assertThatThrownBy(() -> WalCodec.decode(in))
                    .isInstanceOf(WalFormatException.class)
                    .satisfies(e -> assertThat(((WalFormatException) e).kind()).isEqualTo(WalFormatException.Kind.TRUNCATED));
            assertThat(in.position()).isZero();
        }
    }

    @Test
    void impossibleLengthsAreRejectedWithoutAllocating() {
        ByteBuffer huge = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        huge.putInt(0, 0xFFFF_FFF0); // about 4 GiB, far above the limit
        assertThatThrownBy(() -> WalCodec.decode(huge))
                .satisfies(e -> assertThat(((WalFormatException) e).kind()).isEqualTo(WalFormatException.Kind.BAD_LENGTH));
        huge.putInt(0, WalCodec.MAX_RECORD_LENGTH + 1);
        assertThatThrownBy(() -> WalCodec.decode(huge))
                .satisfies(e -> assertThat(((WalFormatException) e).kind()).isEqualTo(WalFormatException.Kind.BAD_LENGTH));
        ByteBuffer zeros = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> WalCodec.decode(zeros))
                .satisfies(e -> assertThat(((WalFormatException) e).kind()).isEqualTo(WalFormatException.Kind.BAD_LENGTH));
        assertThat(WalCodec.MAX_RECORD_LENGTH).isEqualTo(1 << 30);
    }

    /** A record whose checksum matches but whose content is wrong cannot come from a torn write. */
    @Test
    void checksummedGarbageIsABadPayload() {
        // unknown opcode 99, valid CRC
        assertThat(kindOf(frame(1, 99, new byte[0]))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
        // FLUSH_DB with a trailing byte
        assertThat(kindOf(frame(1, 5, new byte[] {0, 0, 0, 0, 1}))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
        // DELETE whose key length runs past the payload
        assertThat(kindOf(frame(1, 2, new byte[] {0, 0, 0, 0, 9, 0, 0, 0, 'a'}))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
        // SWAP_DB with a negative db
        assertThat(kindOf(frame(1, 6, new byte[] {0, 0, 0, 0, -1, -1, -1, -1}))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
        // seq 0
        assertThat(kindOf(frame(0, 5, new byte[] {0, 0, 0, 0}))).isEqualTo(WalFormatException.Kind.BAD_PAYLOAD);
        assertThat(WalFormatException.Kind.BAD_PAYLOAD.couldBeTornWrite()).isFalse();
        assertThat(WalFormatException.Kind.BAD_CRC.couldBeTornWrite()).isTrue();
    }

    @Test
    void encoderRefusesInvalidRecordsWithoutWritingAnything() {
        WalBuffer buf = new WalBuffer();
        assertThatThrownBy(() -> WalCodec.encode(new WalRecord.FlushDb(0, 1), buf)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalCodec.encode(new WalRecord.FlushDb(1, -1), buf)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalCodec.encode(new WalRecord.SwapDb(1, 0, -2), buf)).isInstanceOf(IllegalArgumentException.class);
        assertThat(buf.size()).isZero();
    }

    @Test
    void bufferIsReusedAcrossBatches() {
        WalBuffer buf = new WalBuffer(16);
        for (int i = 1; i <= 50; i++) {
            WalCodec.encode(WalTestSupport.withSeq(WalTestSupport.sample(i), i), buf);
        }
        byte[] array = buf.array();
        buf.clear();
        WalCodec.encode(new WalRecord.FlushDb(51, 0), buf);
        assertThat(buf.array()).isSameAs(array);
        buf.discardFront(3);
        assertThat(buf.size()).isEqualTo(8 + 9 + 4 - 3);
    }

    private static ByteBuffer frame(long seq, int opcode, byte[] payload) {
        int length = 9 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(8 + length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(0).putLong(seq).put((byte) opcode).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, length);
        b.putInt(4, (int) crc.getValue());
        return b.clear();
    }

    private static WalFormatException.Kind kindOf(ByteBuffer in) {
        try {
            WalCodec.decode(in);
            throw new AssertionError("decoded");
        } catch (WalFormatException e) {
            return e.kind();
        }
    }
}
