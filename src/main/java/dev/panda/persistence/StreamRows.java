package dev.panda.persistence;

import dev.panda.persistence.snapshot.ParquetSnapshotWriter;
import dev.panda.persistence.snapshot.SnapshotRow;
import dev.panda.store.Stream;
import dev.panda.store.StreamRdb;
import dev.panda.store.value.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream's snapshot rows: the first holds the whole stream in {@code value} (Redis's RDB
 * encoding, what a load restores) and the first entries; the next ones hold the following
 * entries, as many per row as other collections' elements, for the {@code stream} column that
 * analytics readers query. Elements per entry: id, field count, field, value, ….
 *
 * <p>The snapshot's reader thread, on a stream image nobody writes.
 */
final class StreamRows {
    private static final int ENTRIES_PER_READ = 256;

    private final int db;
    private final byte[] key;
    private final long expireAtMs;
    private final Stream stream;
    private StreamId next = StreamId.MIN;
    private boolean done;
    private int chunk;

    StreamRows(int db, byte[] key, long expireAtMs, Stream stream) {
        this.db = db;
        this.key = key;
        this.expireAtMs = expireAtMs;
        this.stream = stream;
    }

    /** The next row, or null when the stream's rows are all out. */
    SnapshotRow next() {
        if (chunk > 0 && done) {
            return null;
        }
        byte[] value = chunk == 0 ? StreamRdb.payload(stream) : new byte[0];
        List<byte[]> elements = new ArrayList<>();
        long bytes = 0;
        while (!done && elements.size() < ParquetSnapshotWriter.MAX_CHUNK_ELEMENTS
                && bytes < ParquetSnapshotWriter.MAX_CHUNK_BYTES) {
            List<Stream.Entry> entries = stream.range(next, StreamId.MAX, false, ENTRIES_PER_READ);
            if (entries.isEmpty()) {
                done = true;
                break;
            }
            for (Stream.Entry e : entries) {
                byte[][] fv = e.fieldsValues();
                elements.add(e.id().text());
                elements.add(Integer.toString(fv.length / 2).getBytes(StandardCharsets.US_ASCII));
                for (byte[] b : fv) {
                    elements.add(b);
                    bytes += b.length;
                }
                StreamId after = e.id().next();
                if (after == null) {
                    done = true;
                    break;
                }
                next = after;
                if (elements.size() >= ParquetSnapshotWriter.MAX_CHUNK_ELEMENTS || bytes >= ParquetSnapshotWriter.MAX_CHUNK_BYTES) {
                    break;
                }
            }
        }
        if (chunk > 0 && elements.isEmpty()) {
            return null;
        }
        return new SnapshotRow(db, key, SnapshotRow.TYPE_STREAM, value, expireAtMs, chunk++,
                elements.isEmpty() ? null : elements.toArray(new byte[0][]));
    }
}
