package dev.panda.command.key;

import dev.panda.command.Args;
import dev.panda.command.Client;
import dev.panda.command.Errors;
import dev.panda.protocol.Reply;
import dev.panda.rdb.RdbBuffer;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.HashReader;
import dev.panda.store.ListReader;
import dev.panda.store.SetReader;
import dev.panda.store.Slice;
import dev.panda.store.Strings;
import dev.panda.store.ZsetReader;
import dev.panda.store.Zsets;
import dev.panda.store.value.Listpack;
import dev.panda.store.value.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * DUMP and RESTORE in Redis 7.0's payload format: an RDB object, the RDB version and a CRC-64.
 * RESTORE reads every encoding Redis 7.0 writes (strings, plain sets and intsets, quicklists of
 * listpack or plain nodes, hashes as tables or listpacks, sorted sets as skip lists or listpacks,
 * LZF-compressed strings); DUMP writes the plain encodings (string, list, set, hash, zset-2),
 * which every Redis 7.0 reads. A restored value is built through the store's own operations, so
 * it is logged and encoded as any other write. Store thread only.
 */
public final class DumpCommands {
    private static final int STRING = 0;
    private static final int LIST = 1;
    private static final int SET = 2;
    private static final int ZSET = 3;
    private static final int HASH = 4;
    private static final int ZSET_2 = 5;
    private static final int SET_INTSET = 11;
    private static final int LIST_QUICKLIST_2 = 18;
    private static final int HASH_LISTPACK = 16;
    private static final int ZSET_LISTPACK = 17;

    private static Database db(Client c) {
        return c.server().keyspace().db(c.db());
    }

    public void dump(Client c, byte[][] argv, Reply r) {
        byte[] payload = payload(db(c), argv[1]);
        if (payload == null) {
            r.nullBulk();
        } else {
            r.bulk(payload);
        }
    }

    /** The DUMP payload of the key's value (type, object, version, CRC-64), or null when it does not exist. */
    public static byte[] payload(Database db, byte[] key) {
        ValueType type = db.type(key);
        if (type == null) {
            return null;
        }
        RdbBuffer out = RdbBuffer.writer();
        switch (type) {
            case STRING -> {
                Slice v = new Slice();
                db.strings().get(key, v);
                out.type(STRING);
                out.string(v.toArray());
            }
            case LIST -> {
                ListReader l = new ListReader();
                db.lists().read(key, l);
                out.type(LIST);
                out.length(l.size());
                Slice s = new Slice();
                l.seek(0, true);
                while (l.next(s)) {
                    out.string(s.toArray());
                }
            }
            case SET -> {
                SetReader set = new SetReader();
                db.sets().read(key, set);
                out.type(SET);
                out.length(set.size());
                set.forEach((a, off, len) -> out.string(java.util.Arrays.copyOfRange(a, off, off + len)));
            }
            case HASH -> {
                HashReader h = new HashReader();
                db.hashes().read(key, h);
                out.type(HASH);
                out.length(h.size());
                h.forEach((a, foff, flen, b, voff, vlen) -> {
                    out.string(java.util.Arrays.copyOfRange(a, foff, foff + flen));
                    out.string(java.util.Arrays.copyOfRange(b, voff, voff + vlen));
                });
            }
            case ZSET -> {
                ZsetReader z = new ZsetReader();
                db.zsets().read(key, z);
                out.type(ZSET_2);
                out.length(z.size());
                z.seek(0, true);
                while (z.next()) {
                    out.string(z.member.toArray());
                    out.binaryDouble(z.score);
                }
            }
            case STREAM -> {
                dev.panda.store.Stream[] s = new dev.panda.store.Stream[1];
                db.streams().read(key, s);
                dev.panda.store.StreamRdb.write(s[0], out);
            }
            default -> throw new IllegalStateException("no DUMP for " + type);
        }
        return out.finish();
    }

    public void restore(Client c, byte[][] argv, Reply r) {
        boolean replace = false;
        boolean absTtl = false;
        for (int j = 4; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "replace")) {
                replace = true;
            } else if (Args.is(argv[j], "absttl")) {
                absTtl = true;
            } else if (Args.is(argv[j], "idletime") && more) {
                long idle = Args.parseLong(argv[++j]);
                if (idle < 0) {
                    r.error("ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
            } else if (Args.is(argv[j], "freq") && more) {
                long freq = Args.parseLong(argv[++j]);
                if (freq < 0 || freq > 255) {
                    r.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = db(c);
        byte[] key = argv[1];
        if (!replace && db.type(key) != null) {
            r.error("BUSYKEY Target key name already exists.");
            return;
        }
        long ttl = Args.parseLong(argv[2]);
        if (ttl < 0) {
            r.error("ERR Invalid TTL value, must be >= 0");
            return;
        }
        byte[] payload = argv[3];
        if (!RdbBuffer.verifyFooter(payload)) {
            r.error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        Restored value;
        try {
            value = parse(RdbBuffer.reader(payload), db(c));
        } catch (RdbBuffer.Malformed | RuntimeException e) {
            r.error("ERR Bad data format");
            return;
        }
        long now = c.server().keyspace().now();
        if (ttl > 0 && !absTtl) {
            ttl += now;
        }
        if (ttl > 0 && ttl <= now) {
            if (replace) {
                db.delete(key);
            }
            r.ok(); // already expired: nothing is created, as in Redis
            return;
        }
        db.delete(key);
        value.store(db, key);
        if (ttl > 0) {
            db.expireAt(key, ttl);
        }
        r.ok();
    }

    /** A parsed payload, ready to be written with the store's operations. */
    private interface Restored {
        void store(Database db, byte[] key);
    }

    private static Restored parse(RdbBuffer in, Database target) throws RdbBuffer.Malformed {
        int type = in.readType();
        Restored value = switch (type) {
            case STRING -> {
                byte[] s = in.readString();
                yield (db, key) -> db.strings().set(key, s, 0, s.length, -1, Strings.RAW);
            }
            case LIST -> listOf(strings(in, in.readLength()));
            case LIST_QUICKLIST_2 -> {
                long nodes = in.readLength();
                List<byte[]> items = new ArrayList<>();
                for (long i = 0; i < nodes; i++) {
                    long container = in.readLength();
                    byte[] blob = in.readString();
                    if (container == 1) {
                        items.add(blob);
                    } else if (container == 2) {
                        items.addAll(listpack(blob));
                    } else {
                        throw new RdbBuffer.Malformed("unknown quicklist container");
                    }
                }
                yield listOf(items);
            }
            case SET -> setOf(strings(in, in.readLength()));
            case SET_INTSET -> setOf(intset(in.readString()));
            case HASH -> hashOf(strings(in, 2 * in.readLength()));
            case HASH_LISTPACK -> hashOf(listpack(in.readString()));
            case ZSET, ZSET_2 -> {
                long n = in.readLength();
                List<byte[]> members = new ArrayList<>();
                List<Double> scores = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    members.add(in.readString());
                    scores.add(type == ZSET_2 ? in.readBinaryDouble() : in.readStringDouble());
                }
                yield zsetOf(members, scores);
            }
            case ZSET_LISTPACK -> {
                List<byte[]> flat = listpack(in.readString());
                List<byte[]> members = new ArrayList<>();
                List<Double> scores = new ArrayList<>();
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                    members.add(flat.get(i));
                    scores.add(Double.parseDouble(new String(flat.get(i + 1), java.nio.charset.StandardCharsets.US_ASCII)
                            .replace("inf", "Infinity")));
                }
                yield zsetOf(members, scores);
            }
            case dev.panda.store.StreamRdb.TYPE_STREAM_LISTPACKS, dev.panda.store.StreamRdb.TYPE_STREAM_LISTPACKS_2 -> {
                dev.panda.store.Stream s = dev.panda.store.StreamRdb.read(type, in, target.streams().newStream());
                yield (db, key) -> db.streams().restore(key, s, -1);
            }
            default -> throw new RdbBuffer.Malformed("unsupported object type " + type);
        };
        if (in.hasMore()) {
            throw new RdbBuffer.Malformed("trailing bytes");
        }
        return value;
    }

    private static List<byte[]> strings(RdbBuffer in, long n) throws RdbBuffer.Malformed {
        List<byte[]> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }

    /** The elements of a listpack blob (integers as their digits). */
    private static List<byte[]> listpack(byte[] blob) throws RdbBuffer.Malformed {
        if (blob.length < Listpack.HEADER_SIZE + 1 || Listpack.totalBytes(blob, 0) != blob.length) {
            throw new RdbBuffer.Malformed("bad listpack");
        }
        List<byte[]> out = new ArrayList<>();
        for (int p = Listpack.first(blob, 0); p >= 0; p = Listpack.next(blob, p)) {
            out.add(Listpack.bytes(blob, p));
        }
        return out;
    }

    private static List<byte[]> intset(byte[] blob) throws RdbBuffer.Malformed {
        if (blob.length < 8) {
            throw new RdbBuffer.Malformed("bad intset");
        }
        int enc = (blob[0] & 0xff) | (blob[1] & 0xff) << 8 | (blob[2] & 0xff) << 16 | (blob[3] & 0xff) << 24;
        long n = (blob[4] & 0xffL) | (blob[5] & 0xffL) << 8 | (blob[6] & 0xffL) << 16 | (blob[7] & 0xffL) << 24;
        if ((enc != 2 && enc != 4 && enc != 8) || 8 + n * enc != blob.length) {
            throw new RdbBuffer.Malformed("bad intset");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long v = 0;
            for (int b = enc - 1; b >= 0; b--) {
                v = v << 8 | (blob[8 + i * enc + b] & 0xff);
            }
            v = enc == 2 ? (short) v : enc == 4 ? (int) v : v;
            out.add(Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static Restored listOf(List<byte[]> items) throws RdbBuffer.Malformed {
        if (items.isEmpty()) {
            throw new RdbBuffer.Malformed("empty list");
        }
        byte[][] a = items.toArray(new byte[0][]);
        return (db, key) -> db.lists().push(key, false, a, 0, a.length, new Count());
    }

    private static Restored setOf(List<byte[]> members) throws RdbBuffer.Malformed {
        if (members.isEmpty()) {
            throw new RdbBuffer.Malformed("empty set");
        }
        byte[][] a = members.toArray(new byte[0][]);
        return (db, key) -> db.sets().add(key, a, 0, a.length, new Count());
    }

    private static Restored hashOf(List<byte[]> flat) throws RdbBuffer.Malformed {
        if (flat.isEmpty() || flat.size() % 2 != 0) {
            throw new RdbBuffer.Malformed("bad hash");
        }
        byte[][] a = flat.toArray(new byte[0][]);
        return (db, key) -> db.hashes().set(key, a, 0, a.length, new Count());
    }

    private static Restored zsetOf(List<byte[]> members, List<Double> scores) throws RdbBuffer.Malformed {
        if (members.isEmpty()) {
            throw new RdbBuffer.Malformed("empty zset");
        }
        for (double d : scores) {
            if (Double.isNaN(d)) {
                throw new RdbBuffer.Malformed("NaN score");
            }
        }
        byte[][] m = members.toArray(new byte[0][]);
        double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
        return (db, key) -> db.zsets().add(key, 0, m, s, m.length, new Zsets.AddResult());
    }
}
