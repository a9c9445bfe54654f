package dev.panda.store;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * All numbered databases, the clock they expire by, the stream their changes are reported to
 * ({@link Effects}), the packed encodings' limits and the running snapshot's epoch. Store thread
 * only: no locks, as in Redis's single-writer model.
 */
public final class Keyspace {
    private final Database[] databases;
    private final Clock clock;
    private final KeyspaceStats stats = new KeyspaceStats();
    private final RandomGenerator random = new SplittableRandom();
    private final EncodingLimits limits = new EncodingLimits();
    private final SnapshotEpoch snapshots = new SnapshotEpoch();
    private final FunctionLibraries functions = new FunctionLibraries(this);
    private final KeyAccess access = new KeyAccess(this);
    /** Large values looked up since their counts were last brought up to date, with their databases. */
    private LargeValue[] lookedUp = new LargeValue[16];
    private Database[] lookedUpIn = new Database[16];
    private int lookedUpCount;
    private Effects effects = Effects.NONE;
    private Effects log = Effects.NONE;
    private final java.util.List<Effects> observers = new java.util.ArrayList<>();
    /** Commands running one inside another (the commands of an EXEC): one unit of effects. */
    private int commandDepth;
    private boolean touching = true;
    /** The time of the command being run, read once per command as Redis's commandTimeSnapshot. */
    private long commandTimeMillis;

    private boolean loading;
    private boolean reportKeyCreation;
    /** Times each expired key's deletion while set (Redis's expire-del latency event); null: no clock read. */
    private java.util.function.LongConsumer expiredDeleteTimer;

    public Keyspace(int databaseCount, Clock clock) {
        this.clock = clock;
        databases = new Database[databaseCount];
        for (int i = 0; i < databaseCount; i++) {
            databases[i] = new Database(this, i);
        }
    }

    public Database db(int index) {
        return databases[index];
    }

    public int databaseCount() {
        return databases.length;
    }

    /**
     * Each expired key's deletion (lazy or active) is timed and its nanoseconds given to
     * {@code timer}, Redis's {@code expire-del} latency event; null stops the timing. Store thread.
     */
    public void timeExpiredDeletes(java.util.function.LongConsumer timer) {
        expiredDeleteTimer = timer;
    }

    java.util.function.LongConsumer expiredDeleteTimer() {
        return expiredDeleteTimer;
    }

    public Clock clock() {
        return clock;
    }

    public KeyspaceStats stats() {
        return stats;
    }

    public RandomGenerator random() {
        return random;
    }

    /**
     * Reads the clock once for the command about to run: every expiry check and access time of
     * that command uses this instant, so one command sees one consistent time (as Redis does).
     */
    public long startCommand() {
        if (commandDepth++ > 0) {
            return commandTimeMillis; // a command inside EXEC: part of the transaction's unit and instant
        }
        commandTimeMillis = clock.nowMillis();
        effects.beginCommand();
        return commandTimeMillis;
    }

    /** The time of the current command, or the clock itself outside commands (active expiry, tests). */
    public long now() {
        return commandTimeMillis != 0 ? commandTimeMillis : clock.nowMillis();
    }

    /** Ends the command: later reads outside a command use the live clock again. */
    public void endCommand() {
        if (--commandDepth > 0) {
            return;
        }
        commandTimeMillis = 0;
        recount(0);
        effects.endCommand();
    }

    /** The LRU clock: seconds since 2020, which fits an int for a century. */
    public int accessClock() {
        return (int) (now() / 1000 - 1_577_836_800L);
    }

    /** Whether lookups record an access (off for CLIENT NO-TOUCH). */
    boolean touching() {
        return touching;
    }

    /** What entries' access fields record (LRU clock or LFU counter). */
    public KeyAccess access() {
        return access;
    }

    // ---- memory ----------------------------------------------------------------------------------

    /**
     * A large value was looked up: a command may change it in place, so its count is brought up
     * to date when the command ends. Outside commands (log replay, loading) counts are brought
     * up to date as the list grows, sparing the latest few a caller may still be changing.
     */
    void lookedUp(Database db, LargeValue large) {
        int n = lookedUpCount;
        if (n > 0 && lookedUp[n - 1] == large) {
            return;
        }
        if (n == lookedUp.length) {
            if (commandDepth == 0) {
                recount(8);
                n = lookedUpCount;
            } else {
                lookedUp = java.util.Arrays.copyOf(lookedUp, n * 2);
                lookedUpIn = java.util.Arrays.copyOf(lookedUpIn, n * 2);
            }
        }
        lookedUp[n] = large;
        lookedUpIn[n] = db;
        lookedUpCount = n + 1;
    }

    /** Brings the counts of looked-up large values up to date, keeping the last {@code keep} listed. */
    private void recount(int keep) {
        int n = lookedUpCount;
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            lookedUpIn[i].recount(lookedUp[i]);
        }
        int from = Math.max(0, n - keep);
        int kept = n - from;
        System.arraycopy(lookedUp, from, lookedUp, 0, kept);
        System.arraycopy(lookedUpIn, from, lookedUpIn, 0, kept);
        java.util.Arrays.fill(lookedUp, kept, n, null);
        java.util.Arrays.fill(lookedUpIn, kept, n, null);
        lookedUpCount = kept;
    }

    /** A database is flushed: counts are settled now, before its values leave it. */
    void settleCounts() {
        recount(0);
    }

    /**
     * Heap bytes the dataset holds: every database's key table and entries, large values'
     * structures and deadline indexes. O(databases); counts of values looked up by the running
     * command are brought up to date first.
     */
    public long datasetBytes() {
        for (int i = 0; i < lookedUpCount; i++) {
            lookedUpIn[i].recount(lookedUp[i]);
        }
        long bytes = 0;
        for (Database db : databases) {
            bytes += db.heapBytes();
        }
        return bytes;
    }

    /**
     * While the snapshot and the log load, keys past their deadline stay: the log's later
     * effects on a key were recorded while it was alive, and replaying them on a key expired
     * early would bring it back without its deadline. It expires once loading ends.
     */
    public void setLoading(boolean loading) {
        this.loading = loading;
        recount(0);
    }

    boolean loading() {
        return loading;
    }

    /** Whether new keys are reported ({@link Effects#keyCreated}): only while someone listens, as it costs a copy of the key. */
    public void setReportKeyCreation(boolean report) {
        this.reportKeyCreation = report;
    }

    boolean reportsKeyCreation() {
        return reportKeyCreation;
    }

    /** CLIENT NO-TOUCH: reads by the running command do not count as accesses. */
    public void setTouching(boolean touching) {
        this.touching = touching;
    }

    Effects effects() {
        return effects;
    }

    /**
     * Where changes are reported from now on ({@link Effects#NONE} while replaying the log).
     * Synchronized with {@link #addObserver}: the server registers its observers on the main
     * thread while the load thread replays the log and switches the stream.
     */
    public synchronized void setEffects(Effects effects) {
        this.log = effects;
        Effects all = effects;
        for (Effects o : observers) {
            all = new EffectsTee(all, o);
        }
        this.effects = all;
    }

    /** An observer that sees every effect after the log does (blocked clients' wake-ups, WATCH). */
    public synchronized void addObserver(Effects observer) {
        observers.add(observer);
        setEffects(log);
    }

    /** Stops reporting to an observer (one that is off costs the stream nothing). */
    public synchronized void removeObserver(Effects observer) {
        observers.remove(observer);
        setEffects(log);
    }

    /** FUNCTION LOAD's libraries, kept and logged with the data. */
    public FunctionLibraries functions() {
        return functions;
    }

    /** The thresholds of the packed encodings (CONFIG SET changes them). */
    public EncodingLimits limits() {
        return limits;
    }

    /** Which snapshot is reading the keyspace; collections consult it before they change. */
    public SnapshotEpoch snapshots() {
        return snapshots;
    }

    public void swap(int a, int b) {
        if (a != b) {
            recount(0);
            databases[a].swapContents(databases[b]);
        }
        effects.swapDb(a, b);
    }

    public void flushAll() {
        for (Database db : databases) {
            db.flush();
        }
    }

    /** Total keys over all databases. */
    public long size() {
        long n = 0;
        for (Database db : databases) {
            n += db.size();
        }
        return n;
    }
}
