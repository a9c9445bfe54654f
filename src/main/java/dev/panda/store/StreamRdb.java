package dev.panda.store;

import dev.panda.rdb.RdbBuffer;
import dev.panda.store.value.Listpack;
import dev.panda.store.value.StreamId;

/**
 * A stream in Redis 7.0's RDB object encoding ({@code rdb.c}): type 19
 * ({@code RDB_TYPE_STREAM_LISTPACKS_2}) is written, 19 and 15 (6.x's, without the first and
 * deleted ids and counters) are read. The nodes are written as the listpacks they are, so a
 * DUMP from Panda is the bytes Redis would write for the same nodes. DUMP/RESTORE and the
 * snapshot's stream rows use it.
 *
 * <p>Pure functions; the store thread, or a snapshot reader on an image.
 */
public final class StreamRdb {
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;

    private StreamRdb() {
    }

    /** Writes the type byte and the stream. */
    public static void write(Stream s, RdbBuffer out) {
        out.type(TYPE_STREAM_LISTPACKS_2);
        out.length(s.nodeCount);
        for (int i = 0; i < s.nodeCount; i++) {
            out.string(s.masters[i].bytes());
            byte[] lp = s.nodes[i];
            out.string(java.util.Arrays.copyOf(lp, Listpack.totalBytes(lp, 0)));
        }
        out.length(s.length);
        out.length(s.lastId.ms());
        out.length(s.lastId.seq());
        out.length(s.firstId.ms());
        out.length(s.firstId.seq());
        out.length(s.maxDeletedId.ms());
        out.length(s.maxDeletedId.seq());
        out.length(s.entriesAdded);
        out.length(s.groupCount());
        if (s.groups != null) {
            for (var g : s.groups.entrySet()) {
                ConsumerGroup group = g.getValue();
                out.string(g.getKey());
                out.length(group.lastId.ms());
                out.length(group.lastId.seq());
                out.length(group.entriesRead);
                out.length(group.pel.size());
                for (var p : group.pel.entrySet()) {
                    out.raw(p.getKey().bytes());
                    out.millis(p.getValue().deliveryTime);
                    out.length(p.getValue().deliveryCount);
                }
                out.length(group.consumers.size());
                for (ConsumerGroup.Consumer c : group.consumers.values()) {
                    out.string(c.name);
                    out.millis(c.seenTime);
                    out.length(c.pel.size());
                    for (StreamId id : c.pel.keySet()) {
                        out.raw(id.bytes());
                    }
                }
            }
        }
    }

    /** The stream's whole payload for a snapshot row: {@link #write} with the RDB footer. */
    public static byte[] payload(Stream s) {
        RdbBuffer out = RdbBuffer.writer();
        write(s, out);
        return out.finish();
    }

    /** Reads a stream of {@code type} (15 or 19), after its type byte, into {@code s} (empty). */
    public static Stream read(int type, RdbBuffer in, Stream s) throws RdbBuffer.Malformed {
        long nodes = in.readLength();
        StreamId previous = null;
        long liveInNodes = 0;
        for (long i = 0; i < nodes; i++) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw new RdbBuffer.Malformed("stream node key is not a stream id");
            }
            StreamId master = StreamId.fromBytes(key, 0);
            if (previous != null && master.compareTo(previous) <= 0) {
                throw new RdbBuffer.Malformed("stream nodes out of order");
            }
            previous = master;
            byte[] lp = in.readString();
            liveInNodes += validateNode(lp, master);
            if (s.nodeCount == s.nodes.length) {
                s.nodes = java.util.Arrays.copyOf(s.nodes, s.nodeCount * 2);
                s.masters = java.util.Arrays.copyOf(s.masters, s.nodeCount * 2);
            }
            s.setNode(s.nodeCount, lp);
            s.masters[s.nodeCount] = master;
            s.nodeCount++;
        }
        s.length = in.readUnsignedLength();
        if (s.length != liveInNodes) {
            throw new RdbBuffer.Malformed("stream length does not match its nodes");
        }
        s.lastId = new StreamId(in.readUnsignedLength(), in.readUnsignedLength());
        if (type == TYPE_STREAM_LISTPACKS_2) {
            s.firstId = new StreamId(in.readUnsignedLength(), in.readUnsignedLength());
            s.maxDeletedId = new StreamId(in.readUnsignedLength(), in.readUnsignedLength());
            s.entriesAdded = in.readUnsignedLength();
        } else {
            s.entriesAdded = s.length;
            s.refreshFirstId();
        }
        long groups = in.readLength();
        for (long g = 0; g < groups; g++) {
            byte[] name = in.readString();
            StreamId last = new StreamId(in.readUnsignedLength(), in.readUnsignedLength());
            long entriesRead = type == TYPE_STREAM_LISTPACKS_2 ? in.readUnsignedLength() : s.estimateEntriesRead(last);
            if (s.groups == null) {
                s.groups = Stream.newGroupMap();
            }
            if (s.groups.containsKey(name)) {
                throw new RdbBuffer.Malformed("duplicate consumer group");
            }
            ConsumerGroup group = new ConsumerGroup(last, entriesRead);
            s.groups.put(name, group);
            long pel = in.readLength();
            for (long i = 0; i < pel; i++) {
                StreamId id = StreamId.fromBytes(in.readRaw(16), 0);
                long time = in.readMillis();
                long count = in.readUnsignedLength();
                if (group.pel.put(id, new ConsumerGroup.Pending(null, time, count)) != null) {
                    throw new RdbBuffer.Malformed("duplicate PEL entry");
                }
            }
            long consumers = in.readLength();
            for (long i = 0; i < consumers; i++) {
                byte[] cname = in.readString();
                ConsumerGroup.Consumer c = new ConsumerGroup.Consumer(cname, in.readMillis());
                if (group.consumers.put(cname, c) != null) {
                    throw new RdbBuffer.Malformed("duplicate consumer");
                }
                long owned = in.readLength();
                for (long j = 0; j < owned; j++) {
                    StreamId id = StreamId.fromBytes(in.readRaw(16), 0);
                    ConsumerGroup.Pending p = group.pel.get(id);
                    if (p == null || p.consumer != null) {
                        throw new RdbBuffer.Malformed("consumer PEL entry not in the group's PEL");
                    }
                    p.consumer = c;
                    c.pel.put(id, p);
                }
            }
            for (ConsumerGroup.Pending p : group.pel.values()) {
                if (p.consumer == null) {
                    throw new RdbBuffer.Malformed("PEL entry without a consumer");
                }
            }
        }
        return s;
    }

    /** Checks a node's structure (Redis's streamValidateListpackIntegrity, deep); returns its live count. */
    private static long validateNode(byte[] lp, StreamId master) throws RdbBuffer.Malformed {
        try {
            if (lp.length < 7 || Listpack.totalBytes(lp, 0) != lp.length || lp[lp.length - 1] != (byte) 0xFF) {
                throw new RdbBuffer.Malformed("bad listpack header");
            }
            int p = Listpack.first(lp, 0);
            if (p < 0) {
                throw new RdbBuffer.Malformed("empty listpack inside stream");
            }
            long count = Listpack.integer(lp, p);
            long deleted = Listpack.integer(lp, Listpack.next(lp, p));
            Stream.NodeWalker w = new Stream.NodeWalker(lp, master);
            long live = 0;
            long dead = 0;
            StreamId prev = null;
            while (w.next()) {
                if (prev != null && w.id.compareTo(prev) <= 0) {
                    throw new RdbBuffer.Malformed("stream entries out of order");
                }
                prev = w.id;
                w.fieldsValues();
                if ((w.flags & Stream.FLAG_DELETED) != 0) {
                    dead++;
                } else {
                    live++;
                }
            }
            if (live != count || dead != deleted) {
                throw new RdbBuffer.Malformed("stream node counts do not match its entries");
            }
            return live;
        } catch (RuntimeException e) {
            throw new RdbBuffer.Malformed("corrupt stream listpack: " + e);
        }
    }
}
