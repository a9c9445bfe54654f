package dev.panda.persistence;

import dev.panda.config.ServerConfig;
import dev.panda.persistence.crypto.EncryptionKeys;
import dev.panda.persistence.storage.Archiver;
import dev.panda.persistence.wal.WalFiles;
import dev.panda.persistence.wal.WalReplayResult;
import dev.panda.persistence.wal.WalSegments;
import dev.panda.persistence.wal.WalWriter;
import dev.panda.store.Clock;
import dev.panda.persistence.wal.WalOpcode;
import dev.panda.store.Effects;
import dev.panda.store.value.ValueType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log and its group commit: every change the keyspace reports becomes a log
 * record ({@link Effects}), the effects of one command one record; each batch of records is written, and fsynced per
 * {@code appendfsync}, before the replies that acknowledge it are released ({@link Durability});
 * under {@code everysec} a thread of its own fsyncs once a second. While the log cannot be
 * written, the reason is held here and write commands are refused with it (MISCONF). It also
 * counts the changes, with or without a log ({@code appendonly no}), for the save rules.
 *
 * <p>Each batch's write is Redis's {@code aof-write} latency event, and one of
 * {@code aof-write-pending-fsync} (the everysec thread was fsyncing), {@code aof-write-active-child}
 * (a background snapshot is being written: Redis's saving child) or {@code aof-write-alone}; its
 * fsync under {@code always} is {@code aof-fsync-always}. The everysec thread's fsync is no event,
 * as Redis's background fsync is none.
 *
 * <p>Threads: the store thread, except the {@code panda-fsync} thread (which only calls
 * {@link WalWriter#sync} and records its failure) and {@link #deleteDetached}, which the
 * {@link SnapshotScheduler} runs on its writer thread.
 */
final class WalCommitter implements Durability, Effects {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class); // the façade's parts log under its one name

    private final ServerConfig config;
    private Path walDir;
    private final Clock clock;
    private ScheduledExecutorService fsyncer;
    private WalWriter wal;
    private EncryptionKeys keys = EncryptionKeys.NONE;
    /**
     * The last seq the data holds while no log is open: what recovery loaded, or where the log
     * stood when it was turned off. Snapshots are numbered from it, so that one taken with the
     * log off still covers the segments left on disk (a restart would apply them again).
     */
    private long seqWithoutLog;
    /** Receives sealed segments; null without {@code use-s3}. */
    private Archiver archiver;
    /** While the log waits for its base snapshot, its sealed segments wait here for the archiver. */
    private List<WalWriter.Sealed> heldForArchive;
    private WalFiles walFiles = WalFiles.SYSTEM;
    private volatile String walError;
    /** Changes reported since start, logged or not. */
    private long changes;
    private long lastSealMillis;
    /** Where the latency events go, (event, ms); none until {@link #reportLatencyTo}. Store thread. */
    private ObjLongConsumer<String> latency = (event, ms) -> { };
    private BooleanSupplier snapshotting = () -> false;
    /** The everysec thread is in an fsync (Redis's aofFsyncInProgress). */
    private volatile boolean fsyncing;

    WalCommitter(ServerConfig config, Path walDir, Clock clock) {
        this.config = config;
        this.walDir = walDir;
        this.clock = clock;
    }

    /** The file layer the log is written through; tests inject failures (a full disk) here. Before {@link #open}. */
    void useFiles(WalFiles files) {
        this.walFiles = files;
    }

    WalFiles files() {
        return walFiles;
    }

    /**
     * After recovery: opens the log for appending at {@code nextSeq}, after what was replayed
     * ({@code replayed}, null without a log directory), when {@code appendonly yes}; new segments
     * are encrypted when {@code keys} has a current key.
     */
    void open(long nextSeq, WalReplayResult.End replayed, EncryptionKeys keys) throws IOException {
        this.keys = keys;
        this.seqWithoutLog = nextSeq - 1;
        if (config.getBool("appendonly")) {
            openWriter(nextSeq, replayed);
        }
    }

    private void openWriter(long nextSeq, WalReplayResult.End replayed) throws IOException {
        wal = WalWriter.open(walDir, nextSeq, config.getLong("wal-segment-size"), walFiles, replayed, keys);
        if (archiver != null) {
            hookArchiver();
        }
        startFsyncThread();
    }

    /**
     * CONFIG SET appendonly yes: opens the log to continue at {@code nextSeq}; until
     * {@link #baseStored} its sealed segments are held back from the archiver, as they are
     * worthless without the snapshot the log starts from.
     */
    void start(long nextSeq) throws IOException {
        if (archiver != null) {
            heldForArchive = new java.util.ArrayList<>();
        }
        openWriter(nextSeq, null);
    }

    /** A snapshot covering {@code seq}, the base of a log {@link #start}ed live, is stored. */
    void baseStored(long seq) {
        List<WalWriter.Sealed> held = heldForArchive;
        heldForArchive = null;
        if (held != null && archiver != null) {
            held.stream().filter(s -> s.lastSeq() > seq).forEach(archiver::enqueueSegment);
        }
    }

    /**
     * CONFIG SET appendonly no: writes what is pending and closes the log. When that write
     * fails (a full disk) the pending records are dropped with the log: the clients that sent
     * them had their connections closed unanswered, and with the log off nothing is refused any
     * longer for want of it.
     */
    void stop() {
        if (wal == null) {
            return;
        }
        if (wal.hasPending() && !commit()) {
            LOG.warn("write-ahead log turned off with unwritten records (never acknowledged): {}", walError);
        }
        closeWriter();
        walError = null;
    }

    private void closeWriter() {
        seqWithoutLog = wal.lastSeq();
        try {
            wal.close();
        } catch (IOException e) {
            LOG.error("closing the write-ahead log failed: {}", e.toString());
        }
        wal = null;
        if (fsyncer != null) {
            fsyncer.shutdown(); // no interrupt: one breaking a running fsync would read as a failed fsync
            fsyncer = null;
        }
    }

    /**
     * Moves the open log to {@code newWalDir} (CONFIG SET dir), once a snapshot covering
     * {@code afterSeq} is stored in the new directory: the log is committed and closed, the
     * segments holding records after that seq are hard-linked (or, across file systems, copied)
     * there, and the log reopens there. The old directory keeps its files, still a complete
     * copy of the data up to this moment. On failure the log reopens where it was.
     */
    void moveTo(Path newWalDir, long afterSeq) throws IOException {
        if (wal.hasPending() && !commit()) {
            throw new IOException("the write-ahead log cannot be written: " + walError);
        }
        long next = wal.lastSeq() + 1;
        List<WalSegments.Segment> segments = WalSegments.list(walFiles, walDir);
        closeWriter();
        try {
            Files.createDirectories(newWalDir);
            for (WalSegments.Segment s : segments) {
                if (s.firstSeq() > afterSeq) {
                    Path target = newWalDir.resolve(s.path().getFileName());
                    try {
                        Files.createLink(target, s.path());
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(s.path(), target, StandardCopyOption.REPLACE_EXISTING);
                        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                }
            }
            walFiles.syncDirectory(newWalDir);
            Path old = walDir;
            walDir = newWalDir;
            try {
                openWriter(next, null);
            } catch (IOException e) {
                walDir = old;
                throw e;
            }
        } catch (IOException e) {
            openWriter(next, null);
            throw e;
        }
    }

    /** The directory of the log's segments. */
    Path directory() {
        return walDir;
    }

    /** Where the log goes when it is next opened (a move while it is off). */
    void useDirectory(Path newWalDir) {
        this.walDir = newWalDir;
    }

    private void startFsyncThread() {
        WalWriter writer = wal; // this thread's own: the field changes when the log is turned off or moved
        fsyncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "panda-fsync");
            t.setDaemon(true);
            return t;
        });
        fsyncer.scheduleAtFixedRate(() -> {
            if (!"everysec".equals(config.get("appendfsync"))) {
                return;
            }
            fsyncing = true;
            try {
                writer.sync();
            } catch (IOException | RuntimeException e) {
                walError = "fsync failed: " + e.getMessage();
                LOG.error("write-ahead log {}", walError);
            } finally {
                fsyncing = false;
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Store thread, once the data is loaded: the log's latency events go to {@code latency};
     * {@code snapshotting} tells whether a background snapshot is being written.
     */
    void reportLatencyTo(ObjLongConsumer<String> latency, BooleanSupplier snapshotting) {
        this.latency = latency;
        this.snapshotting = snapshotting;
    }

    /** Whether there is a log ({@code appendonly yes}, once {@link #open}ed). */
    boolean enabled() {
        return wal != null;
    }

    /** The log's writer, for its numbers (INFO, metrics); null without a log. */
    WalWriter writer() {
        return wal;
    }

    /** The sequence of the last record appended; without a log, the last the data holds. */
    long lastSeq() {
        return wal != null ? wal.lastSeq() : seqWithoutLog;
    }

    /** Changes the keyspace reported since start (the save rules count those since a snapshot). */
    long changes() {
        return changes;
    }

    // ---- Effects: changes to log records --------------------------------------------------------

    @Override
    public void beginCommand() {
        if (wal != null) {
            wal.beginCommand();
        }
    }

    @Override
    public void endCommand() {
        if (wal != null) {
            wal.endCommand();
        }
    }

    @Override
    public void setString(int db, byte[] key, byte[] value, int off, int len, long expireAtMs) {
        changes++;
        if (wal != null) {
            wal.appendSet(db, key, (byte) ValueType.STRING.code(), value, off, len, expireAtMs);
        }
    }

    @Override
    public void delete(int db, byte[] key) {
        changes++;
        if (wal != null) {
            wal.appendDelete(db, key);
        }
    }

    @Override
    public void expireAt(int db, byte[] key, long expireAtMs) {
        changes++;
        if (wal != null) {
            wal.appendExpireAt(db, key, expireAtMs);
        }
    }

    @Override
    public void persist(int db, byte[] key) {
        changes++;
        if (wal != null) {
            wal.appendPersist(db, key);
        }
    }

    @Override
    public void flushDb(int db) {
        changes++;
        if (wal != null) {
            wal.appendFlushDb(db);
        }
    }

    @Override
    public void swapDb(int a, int b) {
        changes++;
        if (wal != null) {
            wal.appendSwapDb(a, b);
        }
    }

    @Override
    public void rename(int db, byte[] from, byte[] to) {
        changes++;
        if (wal != null) {
            wal.appendRename(db, from, to);
        }
    }

    @Override
    public void copy(int db, byte[] src, int dstDb, byte[] dst) {
        changes++;
        if (wal != null) {
            wal.appendCopy(db, src, dstDb, dst);
        }
    }

    @Override
    public void move(int db, byte[] key, int dstDb) {
        changes++;
        if (wal != null) {
            wal.appendMove(db, key, dstDb);
        }
    }

    @Override
    public void hashSet(int db, byte[] key, byte[][] items, int from, int to) {
        changes += (to - from) / 2;
        if (wal != null) {
            wal.appendItems(WalOpcode.HASH_SET, db, key, items, from, to);
        }
    }

    @Override
    public void hashDelete(int db, byte[] key, byte[][] fields, int from, int to) {
        changes += to - from;
        if (wal != null) {
            wal.appendItems(WalOpcode.HASH_DELETE, db, key, fields, from, to);
        }
    }

    @Override
    public void setAdd(int db, byte[] key, byte[][] members, int from, int to) {
        changes += to - from;
        if (wal != null) {
            wal.appendItems(WalOpcode.SET_ADD, db, key, members, from, to);
        }
    }

    @Override
    public void setRemove(int db, byte[] key, byte[][] members, int from, int to) {
        changes += to - from;
        if (wal != null) {
            wal.appendItems(WalOpcode.SET_REMOVE, db, key, members, from, to);
        }
    }

    @Override
    public void listPush(int db, byte[] key, boolean head, byte[][] items, int from, int to) {
        changes += to - from;
        if (wal != null) {
            wal.appendItems(head ? WalOpcode.LIST_PUSH_HEAD : WalOpcode.LIST_PUSH_TAIL, db, key, items, from, to);
        }
    }

    @Override
    public void listPop(int db, byte[] key, boolean head, long count) {
        changes += count;
        if (wal != null) {
            byte[][] items = {decimal(count)};
            wal.appendItems(head ? WalOpcode.LIST_POP_HEAD : WalOpcode.LIST_POP_TAIL, db, key, items, 0, 1);
        }
    }

    @Override
    public void listSet(int db, byte[] key, long index, byte[] value) {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.LIST_SET, db, key, new byte[][] {decimal(index), value}, 0, 2);
        }
    }

    @Override
    public void listInsert(int db, byte[] key, long index, byte[] value) {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.LIST_INSERT, db, key, new byte[][] {decimal(index), value}, 0, 2);
        }
    }

    @Override
    public void listRemove(int db, byte[] key, long count, byte[] value) {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.LIST_REMOVE, db, key, new byte[][] {decimal(count), value}, 0, 2);
        }
    }

    @Override
    public void zsetAdd(int db, byte[] key, byte[][] items, int from, int to) {
        changes += (to - from) / 2;
        if (wal != null) {
            wal.appendItems(WalOpcode.ZSET_ADD, db, key, items, from, to);
        }
    }

    @Override
    public void zsetRemove(int db, byte[] key, byte[][] members, int from, int to) {
        changes += to - from;
        if (wal != null) {
            wal.appendItems(WalOpcode.ZSET_REMOVE, db, key, members, from, to);
        }
    }

    @Override
    public void stringWrite(int db, byte[] key, long offset, byte[] data, int off, int len) {
        changes++;
        if (wal != null) {
            byte[] bytes = off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
            wal.appendItems(WalOpcode.STRING_WRITE, db, key, new byte[][] {decimal(offset), bytes}, 0, 2);
        }
    }

    @Override
    public void stream(int db, byte[] key, dev.panda.store.StreamChange change, byte[][] items) {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.fromCode(WalOpcode.STREAM_ADD.code() + change.ordinal()), db, key, items, 0, items.length);
        }
    }

    @Override
    public void functionLoad(byte[] name, byte[] code) {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.FUNCTION_LOAD, 0, name, new byte[][] {code}, 0, 1);
        }
    }

    @Override
    public void functionDelete(byte[] name) {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.FUNCTION_DELETE, 0, name, new byte[0][], 0, 0);
        }
    }

    @Override
    public void functionFlush() {
        changes++;
        if (wal != null) {
            wal.appendItems(WalOpcode.FUNCTION_FLUSH, 0, new byte[0], new byte[0][], 0, 0);
        }
    }

    private static byte[] decimal(long n) {
        return Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    // ---- Durability: group commit ---------------------------------------------------------------

    @Override
    public long changeCount() {
        return changes;
    }

    @Override
    public boolean hasPending() {
        return wal != null && wal.hasPending();
    }

    @Override
    public boolean commit() {
        try {
            // A batch costs a write system call: two clock reads are nothing beside it.
            String fsync = config.get("appendfsync");
            boolean syncInProgress = "everysec".equals(fsync) && fsyncing;
            long start = System.nanoTime();
            wal.write();
            long ms = (System.nanoTime() - start) / 1_000_000;
            latency.accept(syncInProgress ? "aof-write-pending-fsync"
                    : snapshotting.getAsBoolean() ? "aof-write-active-child" : "aof-write-alone", ms);
            latency.accept("aof-write", ms);
            if ("always".equals(fsync)) {
                start = System.nanoTime();
                wal.sync();
                latency.accept("aof-fsync-always", (System.nanoTime() - start) / 1_000_000);
            }
            if (!wal.healthy()) {
                // An fsync failed: the kernel may have dropped written pages, so nothing written
                // since can be trusted to be on disk. Refuse writes until a restart replays the log.
                walError = "fsync failed (" + wal.lastError() + "); restart the server";
                return false;
            }
            if (walError != null) {
                LOG.info("write-ahead log writable again");
                walError = null;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (walError == null) {
                LOG.error("write-ahead log write failed: {}", e.toString());
            }
            walError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return false;
        }
    }

    @Override
    public String writeBlockedReason() {
        return walError;
    }

    // ---- segments: snapshots and archiving ------------------------------------------------------

    /**
     * Changes after the snapshot's seq go to a new segment, so the segments it covers can be
     * deleted whole once it is stored. Sealed now rather than at the next write, so that they
     * go then even if no write follows. Only with a log.
     */
    void sealAtSnapshot() {
        try {
            wal.sealNow();
        } catch (IOException e) {
            wal.roll(); // the failure is the writer's to report; roll at the next write instead
        }
    }

    /** Takes the segments a stored snapshot covers out of the log's bookkeeping; none without a log. */
    List<Path> detachSegmentsCoveredBy(long seq) {
        return wal != null ? wal.detachSegmentsCoveredBy(seq) : List.of();
    }

    /** Deletes segments {@link #detachSegmentsCoveredBy} returned. The snapshot writer thread. */
    void deleteDetached(List<Path> segments) throws IOException {
        WalWriter.deleteSegments(walFiles, segments); // not through the writer: it may have been closed or moved since
    }

    /** Hands the archiver the sealed segments not yet archived, then every segment the log seals. */
    void archiveSegmentsTo(Archiver archiver) {
        this.archiver = archiver;
        if (wal != null) {
            wal.sealedSegments().forEach(archiver::enqueueSegment);
            hookArchiver();
        }
        lastSealMillis = clock.nowMillis();
    }

    private void hookArchiver() {
        wal.onSeal(sealed -> {
            lastSealMillis = clock.nowMillis();
            if (heldForArchive != null) {
                heldForArchive.add(sealed);
            } else {
                archiver.enqueueSegment(sealed);
            }
        });
    }

    /** Cron: seals the current segment for the archiver once {@code wal-archive-interval} has passed. */
    void sealForArchive(long now) {
        long archiveInterval = config.getLong("wal-archive-interval") * 1000;
        if (archiver != null && wal != null && archiveInterval > 0 && now - lastSealMillis >= archiveInterval) {
            lastSealMillis = now;
            if (wal.currentSegmentFirstSeq() >= 0) {
                try {
                    wal.sealNow(); // the archiver is told through onSeal
                } catch (IOException e) {
                    LOG.warn("could not seal the WAL segment for archiving: {}", e.toString());
                }
            }
        }
    }

    /** Closes the log and stops the fsync thread (shutdown, after the last commit). */
    void close() {
        if (wal != null) {
            closeWriter();
        }
    }
}
