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
    }

    @Test
    void everyOpcodeIsPinnedHereAndNumbersAreUnique() {
        Map<String, Byte> all = Arrays.stream(WalOpcode.values())
                .collect(Collectors.toMap(WalOpcode::name, WalOpcode::code));
        assertThat(all).containsOnly(
                Map.entry("SET", (byte) 1), Map.entry("DELETE", (byte) 2), Map.entry("EXPIRE_AT", (byte) 3),
                Map.entry("PERSIST", (byte) 4), Map.entry("FLUSH_DB", (byte) 5), Map.entry("SWAP_DB", (byte) 6));
        assertThat(all.values()).doesNotHaveDuplicates();
    }

    @Test
    void codesMapBackAndUnknownCodesAreNull() {
        for (WalOpcode op : WalOpcode.values()) {
            assertThat(WalOpcode.fromCode(op.code())).isSameAs(op);
        }
        assertThat(WalOpcode.fromCode(0)).isNull();
        assertThat(WalOpcode.fromCode(7)).isNull();
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
