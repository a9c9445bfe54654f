package dev.panda.store.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IntsetTest {
    private static final byte[] HEAD = {42, 43, 44};
    private static final int BASE = HEAD.length;
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] of(long... values) {
        byte[] a = Intset.empty(HEAD, BASE);
        for (long v : values) {
            a = Intset.add(a, BASE, v);
        }
        return a;
    }

    private static String blobHex(byte[] a) {
        return HEX.formatHex(a, BASE, BASE + Intset.blobLength(a, BASE));
    }

    /** The intset Redis would hold: the head, then the values sorted at the given width. */
    private static byte[] expected(TreeSet<Long> values, int encoding) {
        ByteBuffer out = ByteBuffer.allocate(BASE + 8 + values.size() * encoding).order(ByteOrder.LITTLE_ENDIAN);
        out.put(HEAD).putInt(encoding).putInt(values.size());
        for (long v : values) {
            switch (encoding) {
                case 2 -> out.putShort((short) v);
                case 4 -> out.putInt((int) v);
                default -> out.putLong(v);
            }
        }
        return out.array();
    }

    @Test
    void emptyIsSixteenBitWithNoValues() {
        byte[] a = Intset.empty(HEAD, BASE);
        assertThat(HEX.formatHex(a)).isEqualTo("2a2b2c" + "02000000" + "00000000");
        assertThat(Intset.size(a, BASE)).isZero();
        assertThat(Intset.blobLength(a, BASE)).isEqualTo(8);
        assertThat(Intset.search(a, BASE, 5)).isEqualTo(-1);
        assertThat(Intset.contains(a, BASE, 0)).isFalse();
        assertThat(Intset.remove(a, BASE, 0)).isSameAs(a);
        assertThatThrownBy(() -> Intset.min(a, BASE)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void keepsValuesSortedLittleEndian() {
        byte[] a = of(5, -3, 300, 0);
        assertThat(blobHex(a)).isEqualTo("02000000" + "04000000" + "fdff" + "0000" + "0500" + "2c01");
        assertThat(Intset.size(a, BASE)).isEqualTo(4);
        assertThat(Intset.get(a, BASE, 0)).isEqualTo(-3);
        assertThat(Intset.get(a, BASE, 3)).isEqualTo(300);
        assertThat(Intset.min(a, BASE)).isEqualTo(-3);
        assertThat(Intset.max(a, BASE)).isEqualTo(300);
        assertThat(Intset.search(a, BASE, 5)).isEqualTo(2);
        assertThat(Intset.search(a, BASE, 4)).isEqualTo(-3);
        assertThat(Intset.search(a, BASE, -4)).isEqualTo(-1);
        assertThat(Intset.search(a, BASE, 301)).isEqualTo(-5);
        assertThat(Intset.contains(a, BASE, 0)).isTrue();
        assertThat(Intset.contains(a, BASE, 1L << 40)).isFalse();
        assertThat(Arrays.copyOf(a, BASE)).isEqualTo(HEAD);
    }

    @Test
    void addingAPresentValueReturnsTheSameArray() {
        byte[] a = of(1, 2, 3);
        assertThat(Intset.add(a, BASE, 2)).isSameAs(a);
        assertThat(Intset.remove(a, BASE, 4)).isSameAs(a);
        assertThat(Intset.remove(a, BASE, 1L << 33)).isSameAs(a);
        byte[] before = a.clone();
        assertThat(Intset.add(a, BASE, 4)).isNotSameAs(a);
        assertThat(Intset.remove(a, BASE, 2)).isNotSameAs(a);
        assertThat(a).isEqualTo(before);
    }

    @Test
    void upgradesSixteenToThirtyTwoToSixtyFourBits() {
        byte[] a = of(Short.MIN_VALUE, Short.MAX_VALUE);
        assertThat(Intset.encoding(a, BASE)).isEqualTo(2);
        a = Intset.add(a, BASE, Short.MAX_VALUE + 1);
        assertThat(blobHex(a)).isEqualTo("04000000" + "03000000" + "0080ffff" + "ff7f0000" + "00800000");
        a = Intset.add(a, BASE, Short.MIN_VALUE - 1);
        assertThat(Intset.encoding(a, BASE)).isEqualTo(4);
        a = Intset.add(a, BASE, Integer.MIN_VALUE);
        a = Intset.add(a, BASE, Integer.MAX_VALUE);
        assertThat(Intset.encoding(a, BASE)).isEqualTo(4);
        // A negative value too wide goes first, a positive one last.
        a = Intset.add(a, BASE, Integer.MIN_VALUE - 1L);
        assertThat(Intset.encoding(a, BASE)).isEqualTo(8);
        assertThat(Intset.get(a, BASE, 0)).isEqualTo(Integer.MIN_VALUE - 1L);
        a = Intset.add(a, BASE, Long.MAX_VALUE);
        a = Intset.add(a, BASE, Long.MIN_VALUE);
        assertThat(Intset.min(a, BASE)).isEqualTo(Long.MIN_VALUE);
        assertThat(Intset.max(a, BASE)).isEqualTo(Long.MAX_VALUE);
        TreeSet<Long> all = new TreeSet<>(Arrays.asList((long) Short.MIN_VALUE, (long) Short.MAX_VALUE, Short.MAX_VALUE + 1L,
                Short.MIN_VALUE - 1L, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, Integer.MIN_VALUE - 1L,
                Long.MAX_VALUE, Long.MIN_VALUE));
        assertThat(a).isEqualTo(expected(all, 8));
        // Straight from 16 to 64 bits, positive.
        assertThat(of(-1, 1, 1L << 32)).isEqualTo(expected(new TreeSet<>(Arrays.asList(-1L, 1L, 1L << 32)), 8));
        assertThat(of(1L << 32)).isEqualTo(expected(new TreeSet<>(Arrays.asList(1L << 32)), 8));
    }

    @Test
    void removalsKeepTheWidth() {
        byte[] a = of(1, 2, 100_000, 3);
        a = Intset.remove(a, BASE, 100_000);
        assertThat(blobHex(a)).isEqualTo("04000000" + "03000000" + "01000000" + "02000000" + "03000000");
        a = Intset.remove(a, BASE, 1);
        a = Intset.remove(a, BASE, 3);
        assertThat(blobHex(a)).isEqualTo("04000000" + "01000000" + "02000000");
        a = Intset.remove(a, BASE, 2);
        assertThat(blobHex(a)).isEqualTo("04000000" + "00000000");
        assertThat(Arrays.copyOf(a, BASE)).isEqualTo(HEAD);
        assertThat(a).hasSize(BASE + 8);
    }

    @Test
    void encodingForIsTheNarrowestWidth() {
        assertThat(Intset.encodingFor(0)).isEqualTo(2);
        assertThat(Intset.encodingFor(Short.MAX_VALUE)).isEqualTo(2);
        assertThat(Intset.encodingFor(Short.MIN_VALUE)).isEqualTo(2);
        assertThat(Intset.encodingFor(Short.MAX_VALUE + 1)).isEqualTo(4);
        assertThat(Intset.encodingFor(Short.MIN_VALUE - 1)).isEqualTo(4);
        assertThat(Intset.encodingFor(Integer.MAX_VALUE)).isEqualTo(4);
        assertThat(Intset.encodingFor(Integer.MIN_VALUE)).isEqualTo(4);
        assertThat(Intset.encodingFor(Integer.MAX_VALUE + 1L)).isEqualTo(8);
        assertThat(Intset.encodingFor(Integer.MIN_VALUE - 1L)).isEqualTo(8);
    }

    @Test
    void randomOperationsAgreeWithATreeSet() {
        SplittableRandom r = new SplittableRandom(99);
        for (int round = 0; round < 60; round++) {
            TreeSet<Long> model = new TreeSet<>();
            int width = 2;
            byte[] a = Intset.empty(HEAD, BASE);
            int bits = 1 + r.nextInt(64);
            for (int step = 0; step < 400; step++) {
                long v = r.nextInt(8) == 0 && !model.isEmpty() ? model.first() + r.nextInt(3) - 1 : r.nextLong() >> (64 - bits);
                byte[] source = a;
                byte[] sourceCopy = a.clone();
                if (r.nextInt(3) == 0) {
                    a = Intset.remove(a, BASE, v);
                    assertThat(a == source).isEqualTo(!model.remove(v));
                } else {
                    a = Intset.add(a, BASE, v);
                    assertThat(a == source).isEqualTo(!model.add(v));
                    width = Math.max(width, Intset.encodingFor(v));
                }
                assertThat(source).isEqualTo(sourceCopy);
                assertThat(a).isEqualTo(expected(model, width));
                long probe = r.nextLong() >> (64 - bits);
                int i = Intset.search(a, BASE, probe);
                int insertion = model.headSet(probe).size();
                assertThat(i).isEqualTo(model.contains(probe) ? insertion : -insertion - 1);
                assertThat(Intset.contains(a, BASE, probe)).isEqualTo(model.contains(probe));
            }
        }
    }
}
