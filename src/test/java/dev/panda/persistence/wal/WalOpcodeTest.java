package dev.panda.persistence.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The opcodes are an on-disk format: this test pins every number. Changing it breaks old logs. */
class WalOpcodeTest {

    @Test
    void everyOpcodeKeepsItsNumberForever() {
        assertThat(WalOpcode.SET.code()).isEqualTo((byte) 1);
        assertThat(WalOpcode.DELETE.code()).isEqualTo((byte) 2);
        assertThat(WalOpcode.EXPIRE_AT.code()).isEqualTo((byte) 3);
        assertThat(WalOpcode.PERSIST.code()).isEqualTo((byte) 4);
        assertThat(WalOpcode.FLUSH_DB.code()).isEqualTo((byte) 5);
        assertThat(WalOpcode.SWAP_DB.code()).isEqualTo((byte) 6);
        assertThat(WalOpcode.GROUP.code()).isEqualTo((byte) 7);
        assertThat(WalOpcode.RENAME.code()).isEqualTo((byte) 8);
        assertThat(WalOpcode.COPY.code()).isEqualTo((byte) 9);
        assertThat(WalOpcode.MOVE.code()).isEqualTo((byte) 10);
        assertThat(WalOpcode.HASH_SET.code()).isEqualTo((byte) 11);
        assertThat(WalOpcode.HASH_DELETE.code()).isEqualTo((byte) 12);
        assertThat(WalOpcode.SET_ADD.code()).isEqualTo((byte) 13);
        assertThat(WalOpcode.SET_REMOVE.code()).isEqualTo((byte) 14);
    }

    @Test
    void everyOpcodeIsPinnedHereAndNumbersAreUnique() {
        Map<String, Byte> all = Arrays.stream(WalOpcode.values())
                .collect(Collectors.toMap(WalOpcode::name, WalOpcode::code));
        assertThat(all).containsOnly(
                Map.entry("SET", (byte) 1), Map.entry("DELETE", (byte) 2), Map.entry("EXPIRE_AT", (byte) 3),
                Map.entry("PERSIST", (byte) 4), Map.entry("FLUSH_DB", (byte) 5), Map.entry("SWAP_DB", (byte) 6),
                Map.entry("GROUP", (byte) 7), Map.entry("RENAME", (byte) 8), Map.entry("COPY", (byte) 9),
                Map.entry("MOVE", (byte) 10), Map.entry("HASH_SET", (byte) 11), Map.entry("HASH_DELETE", (byte) 12),
                Map.entry("SET_ADD", (byte) 13), Map.entry("SET_REMOVE", (byte) 14),
                Map.entry("LIST_PUSH_HEAD", (byte) 15), Map.entry("LIST_PUSH_TAIL", (byte) 16),
                Map.entry("LIST_POP_HEAD", (byte) 17), Map.entry("LIST_POP_TAIL", (byte) 18),
                Map.entry("LIST_SET", (byte) 19), Map.entry("LIST_INSERT", (byte) 20), Map.entry("LIST_REMOVE", (byte) 21),
                Map.entry("ZSET_ADD", (byte) 22), Map.entry("ZSET_REMOVE", (byte) 23),
                Map.entry("FUNCTION_LOAD", (byte) 24), Map.entry("FUNCTION_DELETE", (byte) 25),
                Map.entry("FUNCTION_FLUSH", (byte) 26),
                Map.entry("STREAM_ADD", (byte) 27),
                Map.entry("STREAM_TRIM", (byte) 28),
                Map.entry("STREAM_DELETE", (byte) 29),
                Map.entry("STREAM_SET_ID", (byte) 30),
                Map.entry("STREAM_GROUP", (byte) 31),
                Map.entry("STREAM_GROUP_DESTROY", (byte) 32),
                Map.entry("STREAM_CONSUMER", (byte) 33),
                Map.entry("STREAM_CONSUMER_DELETE", (byte) 34),
                Map.entry("STREAM_PENDING", (byte) 35),
                Map.entry("STREAM_ACK", (byte) 36),
                Map.entry("STRING_WRITE", (byte) 37));
        assertThat(all.values()).doesNotHaveDuplicates();
    }

    @Test
    void codesMapBackAndUnknownCodesAreNull() {
        for (WalOpcode op : WalOpcode.values()) {
            assertThat(WalOpcode.fromCode(op.code())).isSameAs(op);
        }
        assertThat(WalOpcode.fromCode(0)).isNull();
        assertThat(WalOpcode.fromCode(38)).isNull();
        assertThat(WalOpcode.fromCode(255)).isNull();
        assertThat(WalOpcode.fromCode(-1)).isNull();
        assertThat(WalOpcode.fromCode(256)).isNull();
    }

    @Test
    void recordsReportTheirOpcodeAndStringValueTypeIsZero() {
        assertThat(WalRecord.VALUE_TYPE_STRING).isEqualTo((byte) 0);
        assertThat(new WalRecord.Set(1, 0, new byte[0], (byte) 0, new byte[0], -1).opcode()).isEqualTo(WalOpcode.SET);
        assertThat(new WalRecord.Delete(1, 0, new byte[0]).opcode()).isEqualTo(WalOpcode.DELETE);
        assertThat(new WalRecord.ExpireAt(1, 0, new byte[0], 5).opcode()).isEqualTo(WalOpcode.EXPIRE_AT);
        assertThat(new WalRecord.Persist(1, 0, new byte[0]).opcode()).isEqualTo(WalOpcode.PERSIST);
        assertThat(new WalRecord.FlushDb(1, 0).opcode()).isEqualTo(WalOpcode.FLUSH_DB);
        assertThat(new WalRecord.SwapDb(1, 0, 1).opcode()).isEqualTo(WalOpcode.SWAP_DB);
    }
}
