package dev.panda.store.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueTypeTest {
    /** The codes are stored in the write-ahead log and entry headers: they must never change. */
    @Test
    void codesArePinnedToRedisObjectTypes() {
        assertThat(ValueType.STRING.code()).isEqualTo(0);
        assertThat(ValueType.LIST.code()).isEqualTo(1);
        assertThat(ValueType.SET.code()).isEqualTo(2);
        assertThat(ValueType.ZSET.code()).isEqualTo(3);
        assertThat(ValueType.HASH.code()).isEqualTo(4);
        assertThat(ValueType.STREAM.code()).isEqualTo(6);
        assertThat(ValueType.values()).hasSize(6);
    }

    @Test
    void namesAreWhatTypeReplies() {
        assertThat(ValueType.values()).extracting(ValueType::typeName)
                .containsExactly("string", "list", "set", "zset", "hash", "stream");
        assertThat(ValueType.fromName("HASH")).isEqualTo(ValueType.HASH);
        assertThat(ValueType.fromName("none")).isNull();
        assertThat(ValueType.fromCode(5)).isNull();
        assertThat(ValueType.fromCode(4)).isEqualTo(ValueType.HASH);
    }

    @Test
    void encodingNamesAreRedisOnes() {
        assertThat(Encoding.LISTPACK_HASH.encodingName()).isEqualTo("listpack");
        assertThat(Encoding.HASHTABLE_SET.encodingName()).isEqualTo("hashtable");
        assertThat(Encoding.INTSET.encodingName()).isEqualTo("intset");
        assertThat(Encoding.EMBSTR.encodingName()).isEqualTo("embstr");
    }
}
