package dev.panda.persistence.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared fixtures for the WAL tests. */
final class WalTestSupport {
    private WalTestSupport() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A varied record (all six kinds in turn) with seq 0, determined by {@code i}. */
    static WalRecord sample(int i) {
        byte[] key = b("key:" + i);
        return switch (i % 6) {
            case 0 -> new WalRecord.Set(0, i % 16, key, WalRecord.VALUE_TYPE_STRING, b("value-" + i + "-".repeat(i % 40)),
                    i % 3 == 0 ? -1 : 1_700_000_000_000L + i);
            case 1 -> new WalRecord.Delete(0, i % 16, key);
            case 2 -> new WalRecord.ExpireAt(0, i % 16, key, 1_800_000_000_000L + i);
            case 3 -> new WalRecord.Persist(0, i % 16, key);
            case 4 -> new WalRecord.FlushDb(0, i % 16);
            default -> new WalRecord.SwapDb(0, i % 16, (i + 1) % 16);
        };
    }

    /** {@code record} with {@code seq}. */
    static WalRecord withSeq(WalRecord r, long seq) {
        if (r instanceof WalRecord.Set s) {
            return new WalRecord.Set(seq, s.db(), s.key(), s.valueType(), s.value(), s.expireAtMs());
        } else if (r instanceof WalRecord.Delete d) {
            return new WalRecord.Delete(seq, d.db(), d.key());
        } else if (r instanceof WalRecord.ExpireAt e) {
            return new WalRecord.ExpireAt(seq, e.db(), e.key(), e.atMs());
        } else if (r instanceof WalRecord.Persist p) {
            return new WalRecord.Persist(seq, p.db(), p.key());
        } else if (r instanceof WalRecord.FlushDb f) {
            return new WalRecord.FlushDb(seq, f.db());
        }
        WalRecord.SwapDb w = (WalRecord.SwapDb) r;
        return new WalRecord.SwapDb(seq, w.a(), w.b());
    }

    /** What a replay of samples {@code from..to} (inclusive), appended as seqs from..to, returns. */
    static List<WalRecord> expected(int from, int to) {
        List<WalRecord> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(withSeq(sample(i), i));
        }
        return out;
    }

    static List<WalRecord> replayAll(Path dir) throws IOException {
        List<WalRecord> out = new ArrayList<>();
        WalReader.replay(dir, 0, out::add, false);
        return out;
    }

    /** Segment files in {@code dir}, oldest first. */
    static List<Path> segments(Path dir) throws IOException {
        return WalSegments.list(WalFiles.SYSTEM, dir).stream().map(WalSegments.Segment::path).toList();
    }

    /** Every file name in {@code dir}, sorted. */
    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Byte offsets at which each record of a segment starts (parsing the length fields). */
    static List<Long> recordOffsets(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        List<Long> offsets = new ArrayList<>();
        int p = 0;
        while (p + 4 <= bytes.length) {
            offsets.add((long) p);
            int len = (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8 | (bytes[p + 2] & 0xFF) << 16 | (bytes[p + 3] & 0xFF) << 24;
            p += 8 + len;
        }
        return offsets;
    }

    /** Flips every bit of the byte at {@code offset}. */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= (byte) 0xFF;
        Files.write(file, bytes);
    }

    /** Writes samples {@code from..to} (seqs from..to), one write() every {@code perBatch} records. */
    static void appendSamples(WalWriter writer, int from, int to, int perBatch) throws IOException {
        for (int i = from; i <= to; i++) {
            long seq = writer.append(sample(i));
            if (seq != i) {
                throw new AssertionError("seq " + seq + " for sample " + i);
            }
            if ((i - from + 1) % perBatch == 0) {
                writer.write();
            }
        }
        writer.write();
    }
}
