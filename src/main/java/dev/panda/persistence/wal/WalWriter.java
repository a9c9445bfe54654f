package dev.panda.persistence.wal;

import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.crypto.WalBlockCipher;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Appends records to the WAL with group commit: {@code append} encodes each effect into an
 * in-memory batch, {@link #write()} writes the whole batch to the current segment once per
 * event-loop batch (before replies are released), and {@link #sync()} fsyncs it (after
 * {@code write()} for {@code appendfsync always}, or once a second from a background thread
 * for {@code everysec}).
 *
 * <h2>Threads</h2>
 * One owner thread, the store thread, calls everything except {@link #sync()},
 * {@link #healthy()}, {@link #lastError()} and {@link #bytesWritten()}, which any thread may
 * call at any time, concurrently with the owner. A segment is fsynced by the owner before it
 * is closed (when it rolls, and in {@link #close()}); {@code sync()} treats a segment closed
 * that way as already durable, so a roll between a write and a concurrent sync never loses
 * track of unsynced data.
 *
 * <h2>Files</h2>
 * Segments are named {@code wal-<seq of first record, 20 digits>.log} ({@link WalSegments}).
 * A segment is created when the first batch after opening or rolling is written, and rolls
 * (is fsynced, closed, and followed by a new one) at the next {@code write()} once it has
 * reached the configured size, so a segment exceeds that size by at most one batch. The
 * directory is fsynced after a segment is created, before records are written into it. Seqs
 * are assigned contiguously from the {@code nextSeq} given to {@link #open}.
 *
 * <h2>Failures</h2>
 * If {@code write()} throws, the bytes not written stay in the batch and the next
 * {@code write()} writes them, in order, at the same file offset (positional writes), so a
 * full disk loses and reorders nothing; while a record is half written the segment does not
 * roll. {@link #healthy()} is false while the last write failed. A failed fsync is sticky:
 * after it the kernel may have dropped the dirty pages, so data already written cannot be
 * trusted to reach the disk, and {@code healthy()} stays false for the life of this writer
 * (the server should refuse writes and restart, or take a snapshot). Interrupting a thread
 * inside {@code sync()} closes the channel (java.nio semantics); that is not a failed fsync:
 * the segment is reopened by whichever thread next needs it.
 *
 * <h2>Encryption</h2>
 * Opened with a current key, every new segment is encrypted ({@link WalBlockCipher}): it starts
 * with a header naming the key, and each {@code write()} seals the batch's complete records into
 * one block (a few for a batch over a MiB) written with one positional write, so group commit
 * is unchanged. A failed write keeps the plaintext batch and advances nothing: the next
 * {@code write()} seals it again (with new nonces, with whatever was appended meanwhile) and
 * writes it over the partial block at the same offset. Existing segments keep their format.
 */
public final class WalWriter implements Closeable {
    /** Default segment size before rolling: 64 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    private static final int INITIAL_BUFFER_BYTES = 64 << 10;
    /** Most bytes one HASH_SET, HASH_DELETE, SET_ADD or SET_REMOVE effect holds (more items: more effects). */
    static final long ITEMS_EFFECT_BYTES = 16L << 20;
    /** A batch buffer grown above this is dropped once empty, so one huge batch does not pin memory. */
    private static final int RETAINED_BUFFER_BYTES = 16 << 20;

    /** A segment being written: its channel may be replaced (reopened) by either thread under its lock. */
    private static final class Segment {
        final Path path;
        final long firstSeq;
        /** Guarded by this; read without the lock by the owner. */
        volatile FileChannel channel;
        /** Set (under this lock) once the owner has fsynced and closed the segment. */
        volatile boolean retired;
        /** Bytes in the file; owner only. */
        long size;
        /** Seq of the last record wholly written to the file; owner only. */
        long lastSeq;

        Segment(Path path, long firstSeq, FileChannel channel) {
            this.path = path;
            this.firstSeq = firstSeq;
            this.channel = channel;
        }

        /** The open channel, reopening the file if an interrupt closed it; null once retired. */
        synchronized FileChannel openChannel(WalFiles files) throws IOException {
            if (retired) {
                return null;
            }
            if (!channel.isOpen()) {
                channel = files.openSegment(path);
            }
            return channel;
        }
    }

    /**
     * A segment on disk that is no longer written: fsynced, closed, never changed again.
     *
     * @param lastSeq seq of its last record
     */
    public record Sealed(Path path, long firstSeq, long lastSeq, long size) { }

    private final Path dir;
    private final WalFiles files;
    private final long segmentBytes;
    /** Seals batches into blocks; null writes plaintext. */
    private final WalBlockCipher cipher;
    /** The sealed bytes of the batch being written (encrypted log only). */
    private byte[] sealedBatch = new byte[0];
    private final WalBuffer pending = new WalBuffer(INITIAL_BUFFER_BYTES);
    private final List<Sealed> sealed = new ArrayList<>();
    private long sealedBytes;
    private long nextSeq;
    /** Seq of the record at the start of the batch; -1 when the batch is empty or starts mid-record. */
    private long pendingFirstSeq = -1;
    /** True while the current segment ends in a partly written record (after a partial write). */
    private boolean midRecord;
    private boolean rollRequested;
    /** Between {@link #beginCommand} and {@link #endCommand}. */
    private boolean inCommand;
    /** Where the running command's record starts in the batch; -1 when none is open. */
    private int openStart = -1;
    /** Effects in the open record. */
    private int openEffects;
    private boolean dirSyncPending;
    private boolean closed;
    /** Told of every segment this writer seals (the S3 uploader); owner thread. */
    private Consumer<Sealed> sealListener = s -> { };

    private volatile Segment current;
    /** Written by the owner only. */
    private volatile long bytesWritten;
    private final AtomicLong syncedBytes = new AtomicLong();
    private volatile String writeError;
    private volatile String syncFailure;
    private volatile String lastError;
    /** Monitoring, any thread: fsync durations and how often writing or fsyncing failed. */
    private final FsyncLatency fsyncLatency = new FsyncLatency();
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong fsyncFailures = new AtomicLong();

    private WalWriter(Path dir, WalFiles files, long segmentBytes, long nextSeq, List<Sealed> existing,
            EncryptionKeys keys) {
        this.cipher = keys.enabled() ? new WalBlockCipher(keys.current()) : null;
        this.dir = dir;
        this.files = files;
        this.segmentBytes = segmentBytes;
        this.nextSeq = nextSeq;
        for (Sealed s : existing) {
            sealed.add(s);
            sealedBytes += s.size();
        }
    }

    /** Opens the log in {@code dir} with 64 MiB segments and the real file system. */
    public static WalWriter open(Path dir, long nextSeq) throws IOException {
        return open(dir, nextSeq, DEFAULT_SEGMENT_BYTES, WalFiles.SYSTEM);
    }

    /** Opens the log in {@code dir} with the real file system. */
    public static WalWriter open(Path dir, long nextSeq, long segmentBytes) throws IOException {
        return open(dir, nextSeq, segmentBytes, WalFiles.SYSTEM);
    }

    /**
     * Opens the log in {@code dir} (created if missing) to continue at {@code nextSeq}. Call
     * after {@link WalReader#replay} (which cuts a torn tail), with {@code nextSeq} =
     * {@code max(replay lastSeq, snapshot seq) + 1} (1 for a new log). Existing segments are
     * kept; trailing empty ones (a crash right after creating a segment) are deleted; the
     * newest is fsynced (a crashed process may not have); new records go to a new segment.
     *
     * @throws IllegalArgumentException when the log already holds a record with seq {@code >= nextSeq}
     * @throws WalCorruptedException    when the newest segment ends in a torn record (replay first)
     */
    public static WalWriter open(Path dir, long nextSeq, long segmentBytes, WalFiles files) throws IOException {
        return open(dir, nextSeq, segmentBytes, files, null);
    }

    /**
     * As {@link #open(Path, long, long, WalFiles)}, told where the replay just made left the log:
     * when that is the newest segment, at its current length, its last seq is taken from there
     * instead of read again from the segment (15 MB and 100,000 headers: about 15 ms of a restart).
     */
    public static WalWriter open(Path dir, long nextSeq, long segmentBytes, WalFiles files, WalReplayResult.End replayed)
            throws IOException {
        return open(dir, nextSeq, segmentBytes, files, replayed, EncryptionKeys.NONE);
    }

    /**
     * As {@link #open(Path, long, long, WalFiles, WalReplayResult.End)}; new segments are
     * encrypted with {@code keys}' current key when it has one, and existing encrypted segments
     * are read with its keys.
     */
    public static WalWriter open(Path dir, long nextSeq, long segmentBytes, WalFiles files, WalReplayResult.End replayed,
            EncryptionKeys keys) throws IOException {
        if (nextSeq < 1) {
            throw new IllegalArgumentException("nextSeq must be positive: " + nextSeq);
        }
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be positive: " + segmentBytes);
        }
        Files.createDirectories(dir);
        List<WalSegments.Segment> segments = new ArrayList<>(WalSegments.list(files, dir));
        boolean deleted = false;
        while (!segments.isEmpty() && files.size(segments.get(segments.size() - 1).path()) == 0) {
            files.delete(segments.remove(segments.size() - 1).path());
            deleted = true;
        }
        if (deleted) {
            files.syncDirectory(dir);
        }
        List<Sealed> existing = new ArrayList<>();
        if (!segments.isEmpty()) {
            WalSegments.Segment newest = segments.get(segments.size() - 1);
            long last = replayed != null && replayed.segment().equals(newest.path())
                    && replayed.length() == files.size(newest.path()) ? replayed.lastSeq() : lastSeqIn(newest, keys);
            for (int i = 0; i < segments.size(); i++) {
                WalSegments.Segment s = segments.get(i);
                long lastInIt = i + 1 < segments.size() ? segments.get(i + 1).firstSeq() - 1 : last;
                existing.add(new Sealed(s.path(), s.firstSeq(), lastInIt, files.size(s.path())));
            }
            if (newest.firstSeq() >= nextSeq || last >= nextSeq) {
                throw new IllegalArgumentException("the WAL in " + dir + " already holds seq "
                        + Math.max(newest.firstSeq(), last) + "; nextSeq " + nextSeq + " must be greater");
            }
            // A process that crashed may have left it written but not fsynced; it must be durable
            // before records go into a newer segment, or a machine crash could tear an older segment.
            try (FileChannel ch = files.openSegment(newest.path())) {
                ch.force(false);
            }
        }
        return new WalWriter(dir, files, segmentBytes, nextSeq, existing, keys);
    }

    /**
     * The newest segment's last seq, from its record headers alone: replay, which runs first,
     * has checked every record and cut a torn tail, so decoding them all again (100,000 records
     * took tens of milliseconds of a restart) would only repeat it.
     */
    private static long lastSeqIn(WalSegments.Segment segment, EncryptionKeys keys) throws IOException {
        try (SegmentRecords cursor = SegmentRecords.open(segment.path(), keys)) {
            try {
                return cursor.lastSeqByHeaders();
            } catch (WalFormatException e) {
                throw new WalCorruptedException(segment.path(), cursor.position(), e.getMessage()
                        + "; replay the log (which cuts a torn tail) before opening the writer");
            }
        }
    }

    // ---- appending (store thread) ----

    /** Appends {@code record} (its own seq is ignored) to the batch as one record; returns the seq assigned. */
    public long append(WalRecord record) {
        checkOpen();
        if (openStart >= 0) {
            throw new IllegalStateException("a command's record is open");
        }
        long seq = nextSeq;
        if (pending.size() == 0) {
            pendingFirstSeq = seq;
        }
        WalCodec.encode(record, seq, pending);
        nextSeq++;
        return seq;
    }

    /**
     * Appends the record {@code build} makes for the seq it will be assigned (its seq must be
     * that seq); returns the seq. The {@code appendSet}… methods avoid building records.
     */
    public long append(LongFunction<? extends WalRecord> build) {
        checkOpen();
        WalRecord record = build.apply(nextSeq);
        if (record.seq() != nextSeq) {
            throw new IllegalArgumentException("record built for seq " + nextSeq + " has seq " + record.seq());
        }
        return append(record);
    }

    /**
     * A command starts: the effects appended until {@link #endCommand} form one record (a group
     * when there are several), so that a torn tail drops the whole command or none of it.
     */
    public void beginCommand() {
        inCommand = true;
    }

    /** The command is over: its record, if it had effects, is complete and gets its seq. */
    public void endCommand() {
        inCommand = false;
        closeRecord();
    }

    public long appendSet(int db, byte[] key, byte valueType, byte[] value, int off, int len, long expireAtMs) {
        beginEffect(WalOpcode.SET, 4 + 4 + (long) key.length + 1 + 4 + len + 8);
        WalCodec.putSet(pending, db, key, valueType, value, off, len, expireAtMs);
        return endEffect();
    }

    public long appendSet(int db, byte[] key, byte valueType, byte[] value, long expireAtMs) {
        return appendSet(db, key, valueType, value, 0, value.length, expireAtMs);
    }

    public long appendDelete(int db, byte[] key) {
        beginEffect(WalOpcode.DELETE, 8 + (long) key.length);
        WalCodec.putKey(pending, db, key);
        return endEffect();
    }

    public long appendExpireAt(int db, byte[] key, long atMs) {
        beginEffect(WalOpcode.EXPIRE_AT, 16 + (long) key.length);
        WalCodec.putExpireAt(pending, db, key, atMs);
        return endEffect();
    }

    public long appendPersist(int db, byte[] key) {
        beginEffect(WalOpcode.PERSIST, 8 + (long) key.length);
        WalCodec.putKey(pending, db, key);
        return endEffect();
    }

    public long appendFlushDb(int db) {
        beginEffect(WalOpcode.FLUSH_DB, 4);
        WalCodec.putFlushDb(pending, db);
        return endEffect();
    }

    public long appendSwapDb(int a, int b) {
        beginEffect(WalOpcode.SWAP_DB, 8);
        WalCodec.putSwapDb(pending, a, b);
        return endEffect();
    }

    public long appendRename(int db, byte[] from, byte[] to) {
        beginEffect(WalOpcode.RENAME, 12 + (long) from.length + to.length);
        WalCodec.putRename(pending, db, from, to);
        return endEffect();
    }

    public long appendCopy(int db, byte[] src, int dstDb, byte[] dst) {
        beginEffect(WalOpcode.COPY, 16 + (long) src.length + dst.length);
        WalCodec.putCopy(pending, db, src, dstDb, dst);
        return endEffect();
    }

    public long appendMove(int db, byte[] key, int dstDb) {
        beginEffect(WalOpcode.MOVE, 12 + (long) key.length);
        WalCodec.putMove(pending, db, key, dstDb);
        return endEffect();
    }

    /**
     * HASH_SET, HASH_DELETE, SET_ADD or SET_REMOVE of {@code items[from, to)}. Very many items are
     * logged as several effects of at most {@link #ITEMS_EFFECT_BYTES} each (applying them one
     * after the other is the same change), so that no record outgrows the format's limit.
     */
    public long appendItems(WalOpcode op, int db, byte[] key, byte[][] items, int from, int to) {
        int step = op == WalOpcode.HASH_SET || op == WalOpcode.ZSET_ADD || op == WalOpcode.LIST_SET
                || op == WalOpcode.LIST_INSERT || op == WalOpcode.LIST_REMOVE ? 2 : 1;
        long seq = nextSeq;
        int i = from;
        do {
            long bytes = 12 + (long) key.length;
            int j = i;
            while (j < to && (j == i || bytes + itemBytes(items, j, step) <= ITEMS_EFFECT_BYTES)) {
                bytes += itemBytes(items, j, step);
                j += step;
            }
            beginEffect(op, bytes);
            WalCodec.putItems(pending, db, key, items, i, j);
            seq = endEffect();
            i = j;
        } while (i < to);
        return seq;
    }

    private static long itemBytes(byte[][] items, int i, int step) {
        long n = 4 + items[i].length;
        return step == 2 ? n + 4 + items[i + 1].length : n;
    }

    /**
     * Starts the record for an effect of {@code payloadBytes}, or adds the effect to the open
     * record of the running command (making it a group at its second effect). A group that would
     * outgrow the format's limit is closed and the command continues in a new record.
     */
    private void beginEffect(WalOpcode op, long payloadBytes) {
        checkOpen();
        if (9 + payloadBytes > WalCodec.MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("a WAL effect of " + payloadBytes + " bytes exceeds the record limit of "
                    + WalCodec.MAX_RECORD_LENGTH);
        }
        if (openStart >= 0 && WalCodec.openLength(pending, openStart) + 1 + payloadBytes > WalCodec.MAX_RECORD_LENGTH) {
            closeRecord();
        }
        if (openStart < 0) {
            if (pending.size() == 0) {
                pendingFirstSeq = nextSeq;
            }
            openStart = WalCodec.beginRecord(pending, nextSeq, op);
            openEffects = 1;
            return;
        }
        if (openEffects == 1) {
            WalCodec.beginGroup(pending, openStart);
        }
        WalCodec.putOpcode(pending, op);
        openEffects++;
    }

    /** Returns the seq of the effect's record, which is closed now unless a command is running. */
    private long endEffect() {
        long seq = nextSeq;
        if (!inCommand) {
            closeRecord();
        }
        return seq;
    }

    private void closeRecord() {
        if (openStart < 0) {
            return;
        }
        WalCodec.finishRecord(pending, openStart);
        openStart = -1;
        openEffects = 0;
        nextSeq++;
    }

    // ---- writing (store thread) ----

    /**
     * Writes the whole batch to the current segment (rolling or creating it first when due).
     * Does nothing when the batch is empty. On failure the unwritten bytes stay in the batch
     * for the next call.
     */
    /**
     * Asks for the next batch to start a new segment. A snapshot calls this right after it
     * fixed its sequence number, so the segment holding everything up to that number can be
     * deleted whole once the snapshot is stored. Owner thread.
     */
    public void roll() {
        rollRequested = true;
    }

    /**
     * Writes the batch, then fsyncs and seals the current segment now rather than at the next
     * write, so that an idle log's tail can be archived. Does nothing without a current segment
     * or after a partial write. Owner thread.
     */
    public void sealNow() throws IOException {
        write();
        Segment seg = current;
        if (seg != null && !midRecord) {
            retire(seg);
        }
    }

    /** Tells {@code listener} of every segment sealed from now on (on the owner thread, as it happens). */
    public void onSeal(Consumer<Sealed> listener) {
        this.sealListener = listener;
    }

    /** The sealed segments on disk, oldest first. Owner thread. */
    public List<Sealed> sealedSegments() {
        return List.copyOf(sealed);
    }

    /** Seq of the first record in the segment being written, or -1 when there is none. Owner thread. */
    public long currentSegmentFirstSeq() {
        Segment seg = current;
        return seg != null ? seg.firstSeq : -1;
    }

    public void write() throws IOException {
        checkOpen();
        // A command's record still open (a snapshot started inside a command) stays in the batch.
        int complete = openStart >= 0 ? openStart : pending.size();
        if (complete == 0) {
            return;
        }
        int done = 0;
        boolean ok = false;
        try {
            Segment seg = current;
            if (seg != null && !midRecord && (seg.size >= segmentBytes || rollRequested)) {
                retire(seg);
                seg = null;
            }
            rollRequested = false;
            if (seg == null) {
                seg = create();
            }
            if (dirSyncPending) {
                files.syncDirectory(dir);
                dirSyncPending = false;
            }
            FileChannel ch = seg.openChannel(files);
            ByteBuffer src;
            if (cipher != null) {
                src = sealBatch(complete, seg.size);
            } else {
                src = pending.asByteBuffer();
                src.limit(complete);
            }
            long base = seg.size;
            boolean reopened = false;
            try {
                while (src.hasRemaining()) {
                    int n;
                    try {
                        n = ch.write(src, base + src.position());
                    } catch (ClosedChannelException e) {
                        if (e instanceof ClosedByInterruptException || reopened) {
                            throw e;
                        }
                        // Another thread was interrupted inside sync(), which closed the channel.
                        reopened = true;
                        ch = seg.openChannel(files);
                        continue;
                    }
                    if (cipher == null) {
                        seg.size += n;
                    }
                    bytesWritten += n;
                }
            } finally {
                done = src.position();
            }
            if (cipher != null) {
                seg.size = base + src.limit();
                if (sealedBatch.length > RETAINED_BUFFER_BYTES) {
                    sealedBatch = new byte[0];
                }
            }
            seg.lastSeq = nextSeq - 1;
            if (openStart >= 0) {
                pending.discardFront(complete);
                openStart = 0;
                pendingFirstSeq = nextSeq;
            } else {
                pending.clear();
                pending.shrinkIfLargerThan(RETAINED_BUFFER_BYTES, INITIAL_BUFFER_BYTES);
                pendingFirstSeq = -1;
            }
            midRecord = false;
            writeError = null;
            ok = true;
        } catch (IOException e) {
            writeError = describe("write", e);
            lastError = writeError;
            writeFailures.incrementAndGet();
            throw e;
        } finally {
            if (!ok && done > 0 && cipher != null) {
                // Part of a block is in the file: the batch stays whole, to be sealed again and
                // written over it; until then the segment must not roll.
                midRecord = true;
            } else if (!ok && done > 0) {
                pending.discardFront(done);
                if (openStart >= 0) {
                    openStart -= done;
                }
                midRecord = true;
                pendingFirstSeq = -1;
            }
        }
    }

    /**
     * Seals the batch's first {@code complete} bytes (whole records) into blocks for the file
     * offset {@code at}, after the segment header when {@code at} is 0: one block, or several of
     * about {@link WalBlockCipher#TARGET_BLOCK_PLAINTEXT} split at record boundaries.
     */
    private ByteBuffer sealBatch(int complete, long at) {
        ByteBuffer plain = pending.asByteBuffer();
        List<Integer> ends = new ArrayList<>();
        int start = 0;
        for (int p = 0; p < complete; ) {
            int frame = (int) (WalCodec.HEADER_BYTES + WalCodec.lengthField(plain, p));
            if (p > start && p + frame - start > WalBlockCipher.TARGET_BLOCK_PLAINTEXT) {
                ends.add(p);
                start = p;
            }
            p += frame;
        }
        ends.add(complete);
        byte[] header = cipher.header();
        int headerBytes = at == 0 ? WalBlockCipher.HEADER_BYTES : 0;
        long need = headerBytes + (long) complete + (long) ends.size() * WalBlockCipher.BLOCK_OVERHEAD;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a WAL batch of " + complete + " bytes is too large to seal");
        }
        if (sealedBatch.length < need) {
            sealedBatch = new byte[(int) need];
        }
        int out = 0;
        if (headerBytes > 0) {
            System.arraycopy(header, 0, sealedBatch, 0, headerBytes);
            out = headerBytes;
        }
        byte[] src = pending.array();
        int from = 0;
        for (int end : ends) {
            out += cipher.seal(header, at + out, src, from, end - from, sealedBatch, out);
            from = end;
        }
        return ByteBuffer.wrap(sealedBatch, 0, out);
    }

    private Segment create() throws IOException {
        if (pendingFirstSeq < 0) {
            throw new IllegalStateException("no record starts the batch");
        }
        Path path = dir.resolve(WalSegments.fileName(pendingFirstSeq));
        FileChannel ch = files.openSegment(path);
        try {
            long size = ch.size();
            if (size != 0) {
                throw new IOException("new WAL segment " + path + " already holds " + size + " bytes");
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        Segment seg = new Segment(path, pendingFirstSeq, ch);
        if (cipher != null) {
            cipher.newSegment();
        }
        current = seg;
        dirSyncPending = true;
        return seg;
    }

    /** Fsyncs, then closes the current segment; it becomes sealed. */
    private void retire(Segment seg) throws IOException {
        forceForClose(seg);
        seal(seg);
    }

    /** Closes an fsynced segment and records it as sealed; it is no longer current. */
    private void seal(Segment seg) {
        synchronized (seg) {
            seg.retired = true;
            closeQuietly(seg.channel);
        }
        current = null;
        Sealed done = new Sealed(seg.path, seg.firstSeq, seg.lastSeq, seg.size);
        sealed.add(done);
        sealedBytes += seg.size;
        sealListener.accept(done);
    }

    private void forceForClose(Segment seg) throws IOException {
        long target = bytesWritten;
        FileChannel ch = seg.openChannel(files);
        try {
            force(ch);
        } catch (ClosedChannelException e) {
            lastError = describe("fsync", e);
            throw e;
        } catch (IOException e) {
            failSync(e);
            throw e;
        }
        syncedBytes.accumulateAndGet(target, Math::max);
    }

    // ---- syncing (any thread) ----

    /**
     * Makes everything written by {@link #write()} calls that returned before this call began
     * durable (fsync of the current segment; segments rolled meanwhile were fsynced by the
     * owner before it closed them). Cheap when nothing was written since the last sync. Safe
     * to call from a background thread concurrently with the owner's writes and rolls.
     */
    public void sync() throws IOException {
        long target = bytesWritten;
        if (syncedBytes.get() >= target) {
            return;
        }
        Segment seg = current;
        if (seg != null) {
            for (int attempt = 0; ; attempt++) {
                FileChannel ch = seg.openChannel(files);
                if (ch == null) {
                    break; // retired: fsynced by the owner before closing
                }
                try {
                    force(ch);
                    break;
                } catch (ClosedChannelException e) {
                    if (seg.retired) {
                        break;
                    }
                    if (e instanceof ClosedByInterruptException || attempt > 0) {
                        lastError = describe("fsync", e);
                        throw e;
                    }
                    // Closed under us by another thread's interrupt: reopen and try again.
                } catch (IOException e) {
                    failSync(e);
                    throw e;
                }
            }
        }
        syncedBytes.accumulateAndGet(target, Math::max);
    }

    private void force(FileChannel ch) throws IOException {
        long start = System.nanoTime();
        ch.force(false);
        fsyncLatency.record(System.nanoTime() - start);
    }

    private void failSync(IOException e) {
        fsyncFailures.incrementAndGet();
        String message = describe("fsync", e);
        syncFailure = message;
        lastError = message;
    }

    // ---- maintenance (store thread) ----

    /**
     * Forgets the sealed segments all of whose records have a seq {@code <= seq} and returns
     * their files, oldest first, for {@link #deleteDetached} to delete on another thread
     * (unlinking a large file takes milliseconds). Never the segment being written. A crash
     * before they are deleted leaves them for the next start, which skips and later deletes them.
     */
    public List<Path> detachSegmentsCoveredBy(long seq) {
        checkOpen();
        List<Path> covered = new ArrayList<>();
        while (!sealed.isEmpty()) {
            Sealed oldest = sealed.get(0);
            Segment cur = current;
            long lastSeqInIt = sealed.size() > 1 ? sealed.get(1).firstSeq() - 1
                    : cur != null ? cur.firstSeq - 1 : nextSeq - 1;
            if (lastSeqInIt > seq) {
                break;
            }
            covered.add(oldest.path());
            sealed.remove(0);
            sealedBytes -= oldest.size();
        }
        return covered;
    }

    /**
     * Deletes segment files {@link #detachSegmentsCoveredBy} returned, then makes the deletion
     * durable. Any thread, also after {@link #close}.
     */
    public void deleteDetached(List<Path> segmentFiles) throws IOException {
        deleteSegments(files, segmentFiles);
    }

    /** Deletes segment files of one directory, then fsyncs it. Any thread; needs no open writer. */
    public static void deleteSegments(WalFiles files, List<Path> segmentFiles) throws IOException {
        int deleted = 0;
        try {
            for (Path file : segmentFiles) {
                files.delete(file);
                deleted++;
            }
        } finally {
            if (deleted > 0) {
                files.syncDirectory(segmentFiles.get(0).getParent());
            }
        }
    }

    /**
     * Writes the batch, fsyncs and closes the current segment. Idempotent. If the final write
     * or fsync fails, the channel is still closed and the failure thrown: records still in the
     * batch are then lost to this writer.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        IOException failure = null;
        try {
            write();
        } catch (IOException e) {
            failure = e;
        }
        Segment seg = current;
        if (seg != null) {
            try {
                forceForClose(seg);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            seal(seg);
        }
        closed = true;
        if (failure != null) {
            throw failure;
        }
    }

    // ---- state ----

    /** The seq assigned by the last append (written or not); {@code nextSeq - 1} right after open. */
    public long lastSeq() {
        return nextSeq - 1;
    }

    /** Bytes appended but not yet written to a file. Store thread. */
    public int pendingBytes() {
        return pending.size();
    }

    /** True when complete records wait for {@link #write()}. Store thread. */
    public boolean hasPending() {
        return (openStart >= 0 ? openStart : pending.size()) > 0;
    }

    /** Bytes this writer has written to segment files since it was opened. Any thread. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Segment files in the directory, including the one being written. Store thread. */
    public int segmentCount() {
        return sealed.size() + (current != null ? 1 : 0);
    }

    /** Bytes in all segment files. Store thread. */
    public long totalBytes() {
        Segment cur = current;
        return sealedBytes + (cur != null ? cur.size : 0);
    }

    /**
     * False while the last {@link #write()} failed, and for good once an fsync failed. Any
     * thread.
     */
    public boolean healthy() {
        return writeError == null && syncFailure == null;
    }

    /** The most recent failure ("write failed: …" / "fsync failed: …"), or null if none ever. Any thread. */
    public String lastError() {
        return lastError;
    }

    /** Durations of the fsyncs that succeeded. Any thread. */
    public FsyncLatency fsyncLatency() {
        return fsyncLatency;
    }

    /** Failed {@link #write()} calls since open (a retry that fails again counts again). Any thread. */
    public long writeFailures() {
        return writeFailures.get();
    }

    /** Failed fsyncs since open. Any thread. */
    public long fsyncFailures() {
        return fsyncFailures.get();
    }

    public Path directory() {
        return dir;
    }

    public long segmentBytes() {
        return segmentBytes;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("WAL writer is closed");
        }
    }

    private static String describe(String what, IOException e) {
        String message = e.getMessage();
        return what + " failed: " + e.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already fsynced (or failed and reported); nothing more to lose
        }
    }
}
