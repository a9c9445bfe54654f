package dev.panda.store;

import dev.panda.store.value.StreamId;
import dev.panda.store.value.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream values of one database, the store side of Redis's {@code t_stream.c}: every change to
 * a stream or its consumer groups goes through an operation here, which applies it to the
 * {@link Stream} and reports it as one {@link StreamChange} effect. The commands decide (ids,
 * trimming, what a read delivers); these operations record the outcome, so replaying the log
 * calls the very same operations ({@link #apply}).
 *
 * <p>Store thread only.
 */
public final class Streams {
    private final Database db;

    Streams(Database db) {
        this.db = db;
    }

    // ---- lookups -------------------------------------------------------------------------------

    /** The stream at key for a read command (counts a hit or miss) in {@code out[0]}. */
    public Status read(byte[] key, Stream[] out) {
        return open(db.lookupRead(key), out);
    }

    /** The stream at key for a command about to change it (no hit or miss counted). */
    public Status peek(byte[] key, Stream[] out) {
        return open(db.lookup(key), out);
    }

    private static Status open(Object e, Stream[] out) {
        Status s = Status.of(e, ValueType.STREAM);
        out[0] = s == Status.OK ? (Stream) ((LargeValue) e).data : null;
        return s;
    }

    private Stream writable(byte[] key) {
        Object e = db.lookup(key);
        if (e == null || Entry.type(e) != ValueType.STREAM) {
            return null;
        }
        Stream s = (Stream) ((LargeValue) e).data;
        s.prepareWrite();
        return s;
    }

    private Stream createIfAbsent(byte[] key) {
        Stream s = writable(key);
        if (s != null) {
            return s;
        }
        s = new Stream(db.keyspace().snapshots());
        byte[] head = Entry.allocate(ValueType.STREAM, key, 0, key.length, -1, 0, db.keyspace().access().initial());
        db.store(new LargeValue(head, s), null);
        return s;
    }

    private void report(byte[] key, StreamChange change, byte[][] items) {
        db.effects().stream(db.index(), key, change, items);
    }

    private static byte[] num(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    // ---- entries -------------------------------------------------------------------------------

    /** XADD's append of {@code fv[from, to)} with {@code id} (above the last id), creating the stream. */
    public void add(byte[] key, StreamId id, byte[][] fv, int from, int to) {
        Stream s = createIfAbsent(key);
        EncodingLimits limits = db.keyspace().limits();
        s.append(id, fv, from, to, limits.streamNodeMaxBytes, limits.streamNodeMaxEntries);
        byte[][] items = new byte[1 + to - from][];
        items[0] = id.bytes();
        System.arraycopy(fv, from, items, 1, to - from);
        report(key, StreamChange.ADD, items);
    }

    /** An empty stream at key (XGROUP CREATE … MKSTREAM), which must not exist. */
    public void createEmpty(byte[] key) {
        Stream s = createIfAbsent(key);
        report(key, StreamChange.SET_ID, new byte[][] {s.lastId.bytes(), num(s.entriesAdded), s.maxDeletedId.bytes()});
    }

    /**
     * XTRIM, or XADD's trimming: MAXLEN ({@code maxLen >= 0}) or MINID, as Redis's streamTrim.
     * Returns how many entries went; the log records the first id that remains.
     */
    public long trim(byte[] key, long maxLen, StreamId minId, boolean approx, long limit) {
        Object e = db.lookup(key);
        if (e == null || Entry.type(e) != ValueType.STREAM) {
            return 0;
        }
        Stream s = (Stream) ((LargeValue) e).data;
        long deleted = s.trim(maxLen, minId, approx, limit);
        if (deleted > 0) {
            report(key, StreamChange.TRIM, s.length == 0 ? new byte[0][] : new byte[][] {s.firstId.bytes()});
        }
        return deleted;
    }

    /** XDEL: deletes these ids; returns how many existed. */
    public int delete(byte[] key, List<StreamId> ids) {
        Stream s = writable(key);
        if (s == null) {
            return 0;
        }
        List<byte[]> gone = new ArrayList<>();
        boolean first = false;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                if (id.equals(s.firstId)) {
                    first = true;
                }
                if (id.compareTo(s.maxDeletedId) > 0) {
                    s.maxDeletedId = id;
                }
                gone.add(id.bytes());
            }
        }
        if (!gone.isEmpty()) {
            if (s.length == 0) {
                s.firstId = StreamId.MIN;
            } else if (first) {
                s.refreshFirstId();
            }
            report(key, StreamChange.DELETE, gone.toArray(new byte[0][]));
        }
        return gone.size();
    }

    /** XSETID: the stream's last id, entries-added counter and largest deleted id. */
    public void setId(byte[] key, StreamId lastId, long entriesAdded, StreamId maxDeletedId) {
        Stream s = createIfAbsent(key);
        s.lastId = lastId;
        s.entriesAdded = entriesAdded;
        s.maxDeletedId = maxDeletedId;
        report(key, StreamChange.SET_ID, new byte[][] {lastId.bytes(), num(entriesAdded), maxDeletedId.bytes()});
    }

    // ---- consumer groups ----------------------------------------------------------------------

    /** Creates the group or sets its last id and reads counter (XGROUP CREATE/SETID, XREADGROUP's advance). */
    public void setGroup(byte[] key, byte[] group, StreamId lastId, long entriesRead) {
        Stream s = writable(key);
        if (s.groups == null) {
            s.groups = Stream.newGroupMap();
        }
        ConsumerGroup g = s.groups.get(group);
        if (g == null) {
            s.groups.put(group.clone(), new ConsumerGroup(lastId, entriesRead));
        } else {
            g.lastId = lastId;
            g.entriesRead = entriesRead;
        }
        report(key, StreamChange.GROUP, new byte[][] {group, lastId.bytes(), num(entriesRead)});
    }

    /** XGROUP DESTROY; false when there was no such group. */
    public boolean destroyGroup(byte[] key, byte[] group) {
        Stream s = writable(key);
        if (s == null || s.groups == null || s.groups.remove(group) == null) {
            return false;
        }
        report(key, StreamChange.GROUP_DESTROY, new byte[][] {group});
        return true;
    }

    /** The consumer exists and was seen at {@code seenTime}; true when it was created. */
    public boolean touchConsumer(byte[] key, byte[] group, byte[] consumer, long seenTime) {
        Stream s = writable(key);
        ConsumerGroup g = s.group(group);
        ConsumerGroup.Consumer c = g.consumers.get(consumer);
        boolean created = c == null;
        if (created) {
            c = new ConsumerGroup.Consumer(consumer.clone(), seenTime);
            g.consumers.put(c.name, c);
        } else {
            c.seenTime = seenTime;
        }
        report(key, StreamChange.CONSUMER, new byte[][] {group, consumer, num(seenTime), num(created ? 1 : 0)});
        return created;
    }

    /** XGROUP DELCONSUMER: returns how many entries it had pending, or -1 when there was no such consumer. */
    public long deleteConsumer(byte[] key, byte[] group, byte[] consumer) {
        Stream s = writable(key);
        ConsumerGroup g = s.group(group);
        ConsumerGroup.Consumer c = g.consumers.remove(consumer);
        if (c == null) {
            return -1;
        }
        for (StreamId id : c.pel.keySet()) {
            g.pel.remove(id);
        }
        report(key, StreamChange.CONSUMER_DELETE, new byte[][] {group, consumer});
        return c.pel.size();
    }

    /**
     * These entries are now pending for {@code consumer} (created if absent), delivered at
     * {@code time}, each with its delivery count (XREADGROUP, XCLAIM, XAUTOCLAIM).
     */
    public void setPending(byte[] key, byte[] group, byte[] consumer, long time, List<StreamId> ids, long[] counts) {
        if (ids.isEmpty()) {
            return;
        }
        Stream s = writable(key);
        ConsumerGroup g = s.group(group);
        ConsumerGroup.Consumer c = g.consumers.get(consumer);
        if (c == null) {
            c = new ConsumerGroup.Consumer(consumer.clone(), time);
            g.consumers.put(c.name, c);
        }
        byte[][] items = new byte[3 + 2 * ids.size()][];
        items[0] = group;
        items[1] = consumer;
        items[2] = num(time);
        for (int i = 0; i < ids.size(); i++) {
            StreamId id = ids.get(i);
            ConsumerGroup.Pending p = g.pel.get(id);
            if (p == null) {
                p = new ConsumerGroup.Pending(c, time, counts[i]);
                g.pel.put(id, p);
            } else {
                if (p.consumer != c) {
                    p.consumer.pel.remove(id);
                    p.consumer = c;
                }
                p.deliveryTime = time;
                p.deliveryCount = counts[i];
            }
            c.pel.put(id, p);
            items[3 + 2 * i] = id.bytes();
            items[4 + 2 * i] = num(counts[i]);
        }
        report(key, StreamChange.PENDING, items);
    }

    /** XACK, and XCLAIM/XAUTOCLAIM's removal of deleted entries: returns how many were pending. */
    public int ack(byte[] key, byte[] group, List<StreamId> ids) {
        Stream s = writable(key);
        ConsumerGroup g = s == null ? null : s.group(group);
        if (g == null) {
            return 0;
        }
        List<byte[]> acked = new ArrayList<>();
        for (StreamId id : ids) {
            ConsumerGroup.Pending p = g.pel.remove(id);
            if (p != null) {
                p.consumer.pel.remove(id);
                acked.add(id.bytes());
            }
        }
        if (!acked.isEmpty()) {
            byte[][] items = new byte[1 + acked.size()][];
            items[0] = group;
            for (int i = 0; i < acked.size(); i++) {
                items[1 + i] = acked.get(i);
            }
            report(key, StreamChange.ACK, items);
        }
        return acked.size();
    }

    // ---- replay, copies, snapshots ----------------------------------------------------------------

    /** Replays one logged change (effects are off while the log replays). */
    public void apply(byte[] key, StreamChange change, byte[][] items) {
        switch (change) {
            case ADD -> add(key, StreamId.fromBytes(items[0], 0), items, 1, items.length);
            case TRIM -> {
                Stream s = writable(key);
                if (s != null) {
                    if (items.length == 0) {
                        s.trim(0, null, false, 0);
                    } else {
                        s.trim(-1, StreamId.fromBytes(items[0], 0), false, 0);
                    }
                }
            }
            case DELETE -> {
                List<StreamId> ids = new ArrayList<>();
                for (byte[] b : items) {
                    ids.add(StreamId.fromBytes(b, 0));
                }
                delete(key, ids);
            }
            case SET_ID -> setId(key, StreamId.fromBytes(items[0], 0), number(items[1]), StreamId.fromBytes(items[2], 0));
            case GROUP -> setGroup(key, items[0], StreamId.fromBytes(items[1], 0), number(items[2]));
            case GROUP_DESTROY -> destroyGroup(key, items[0]);
            case CONSUMER -> touchConsumer(key, items[0], items[1], number(items[2]));
            case CONSUMER_DELETE -> deleteConsumer(key, items[0], items[1]);
            case PENDING -> {
                int n = (items.length - 3) / 2;
                List<StreamId> ids = new ArrayList<>(n);
                long[] counts = new long[n];
                for (int i = 0; i < n; i++) {
                    ids.add(StreamId.fromBytes(items[3 + 2 * i], 0));
                    counts[i] = number(items[4 + 2 * i]);
                }
                setPending(key, items[0], items[1], number(items[2]), ids, counts);
            }
            case ACK -> {
                List<StreamId> ids = new ArrayList<>();
                for (int i = 1; i < items.length; i++) {
                    ids.add(StreamId.fromBytes(items[i], 0));
                }
                ack(key, items[0], ids);
            }
        }
    }

    private static long number(byte[] b) {
        return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
    }

    /** The stream held by a large value (COPY, snapshots). */
    static Stream of(Object entry) {
        return (Stream) ((LargeValue) entry).data;
    }

    /**
     * Stores {@code s} (decoded from a snapshot or a RESTORE payload) at key, which must not exist;
     * logs nothing: a RESTORE reports it through {@link #report} of its parts.
     */
    public void loadAbsent(byte[] key, Stream s, long expireAtMs) {
        byte[] head = Entry.allocate(ValueType.STREAM, key, 0, key.length, expireAtMs, 0, db.keyspace().access().initial());
        db.loadAbsent(new LargeValue(head, s));
    }

    /**
     * RESTORE: stores the decoded stream at key (which must not exist) as it is, and logs it as
     * the changes that rebuild it: its entries, its counters, then its groups, consumers and
     * pending entries.
     */
    public void restore(byte[] key, Stream s, long expireAtMs) {
        byte[] head = Entry.allocate(ValueType.STREAM, key, 0, key.length, expireAtMs, 0, db.keyspace().access().initial());
        db.store(new LargeValue(head, s), null);
        for (Stream.Entry e : s.range(StreamId.MIN, StreamId.MAX, false, 0)) {
            byte[][] items = new byte[1 + e.fieldsValues().length][];
            items[0] = e.id().bytes();
            System.arraycopy(e.fieldsValues(), 0, items, 1, e.fieldsValues().length);
            report(key, StreamChange.ADD, items);
        }
        report(key, StreamChange.SET_ID, new byte[][] {s.lastId.bytes(), num(s.entriesAdded), s.maxDeletedId.bytes()});
        for (var g : s.groups == null ? java.util.Map.<byte[], ConsumerGroup>of().entrySet() : s.groups.entrySet()) {
            ConsumerGroup group = g.getValue();
            report(key, StreamChange.GROUP, new byte[][] {g.getKey(), group.lastId.bytes(), num(group.entriesRead)});
            for (ConsumerGroup.Consumer c : group.consumers.values()) {
                report(key, StreamChange.CONSUMER, new byte[][] {g.getKey(), c.name, num(c.seenTime), num(1)});
                for (var p : c.pel.entrySet()) {
                    report(key, StreamChange.PENDING, new byte[][] {g.getKey(), c.name, num(p.getValue().deliveryTime),
                            p.getKey().bytes(), num(p.getValue().deliveryCount)});
                }
            }
        }
    }

    /** Start-up load of a snapshot's stream row (its RDB payload); throws on a malformed one. */
    public void loadPayload(byte[] key, byte[] payload, long expireAtMs) {
        try {
            if (!dev.panda.rdb.RdbBuffer.verifyFooter(payload)) {
                throw new dev.panda.rdb.RdbBuffer.Malformed("bad checksum");
            }
            dev.panda.rdb.RdbBuffer in = dev.panda.rdb.RdbBuffer.reader(payload);
            int type = in.readType();
            loadAbsent(key, StreamRdb.read(type, in, newStream()), expireAtMs);
        } catch (dev.panda.rdb.RdbBuffer.Malformed e) {
            throw new IllegalStateException("a malformed stream in the snapshot: " + e.getMessage(), e);
        }
    }

    /** A new, empty stream bound to this keyspace's snapshots (for decoders). */
    public Stream newStream() {
        return new Stream(db.keyspace().snapshots());
    }
}
