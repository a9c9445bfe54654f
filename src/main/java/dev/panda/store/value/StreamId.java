package dev.panda.store.value;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry id, {@code <ms>-<seq>}: two unsigned 64-bit numbers, ordered as one 128-bit
 * number (Redis's {@code streamID}). Immutable; any thread.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The id right after this one, or null past the largest (Redis's streamIncrID). */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The id right before this one, or null before 0-0 (streamDecrID). */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** The id as 16 big-endian bytes (the RDB's and the write-ahead log's form). */
    public byte[] bytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** The id of 16 big-endian bytes at {@code off}. */
    public static StreamId fromBytes(byte[] b, int off) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = ms << 8 | (b[off + i] & 0xFF);
            seq = seq << 8 | (b[off + 8 + i] & 0xFF);
        }
        return new StreamId(ms, seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] text() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses {@code <ms>[-<seq>]} as Redis's streamGenericParseIDOrReply: a missing sequence is
     * {@code missingSeq}; {@code -} and {@code +} are the smallest and largest ids; with
     * {@code allowStar} a sequence of {@code *} gives {@code seqGiven[0] = false}. Null when the
     * text is not an id.
     */
    public static StreamId parse(byte[] s, long missingSeq, boolean strict, boolean[] seqGiven) {
        if (seqGiven != null) {
            seqGiven[0] = true;
        }
        if (s.length > 127) {
            return null;
        }
        if (s.length == 1 && (s[0] == '-' || s[0] == '+')) {
            if (strict) {
                return null;
            }
            return s[0] == '-' ? MIN : MAX;
        }
        int dash = -1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '-') {
                dash = i;
                break;
            }
        }
        long ms;
        long seq;
        if (dash < 0) {
            Long v = parseUnsigned(s, 0, s.length);
            if (v == null) {
                return null;
            }
            ms = v;
            seq = missingSeq;
        } else {
            Long m = parseUnsigned(s, 0, dash);
            if (m == null) {
                return null;
            }
            ms = m;
            if (seqGiven != null && dash + 2 == s.length && s[dash + 1] == '*') {
                seqGiven[0] = false;
                seq = 0;
            } else {
                Long q = parseUnsigned(s, dash + 1, s.length);
                if (q == null) {
                    return null;
                }
                seq = q;
            }
        }
        return new StreamId(ms, seq);
    }

    /** strtoull as Redis's string2ull uses it: digits only (no sign, no spaces), at most 2^64 - 1. */
    private static Long parseUnsigned(byte[] s, int from, int to) {
        if (from >= to || to - from > 20) {
            return null;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            long times10 = v * 10;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            long sum = times10 + d;
            if (Long.compareUnsigned(sum, times10) < 0) {
                return null;
            }
            v = sum;
        }
        return v;
    }
}
