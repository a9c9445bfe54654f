package dev.panda.store;

import dev.panda.protocol.Doubles;
import dev.panda.store.value.StreamId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: the SHA-1 signature Redis 7.0 computes ({@code debug.c}
 * {@code computeDatasetDigest}, {@code xorObjectDigest}), byte for byte, so a dataset can be
 * compared with a Redis holding the same data. Unordered things (keys, set members, hash
 * pairs, sorted-set members) are xored together; ordered ones (list elements, stream entries)
 * are mixed in sequence. Packed integers digest as their decimal text, as Redis's decoded
 * objects do; scores as {@code "%.17g"}. Only a key's having a deadline is digested, not the
 * deadline itself (Redis mixes in the constant {@code "!!expire!!"}); consumer groups are not
 * digested, as in 7.0.
 *
 * <p>Like Redis (which reads its dict directly), keys past their deadline that have not been
 * removed yet are digested too. Store thread only.
 */
public final class DatasetDigest {
    private static final byte[] EXPIRE = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;
    private final ListReader list = new ListReader();
    private final SetReader set = new SetReader();
    private final HashReader hash = new HashReader();
    private final ZsetReader zset = new ZsetReader();

    public DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }

    /** The digest of every database (DEBUG DIGEST); 20 zero bytes for an empty dataset. */
    public byte[] dataset(Keyspace keyspace) {
        byte[] fin = new byte[20];
        byte[] kv = new byte[20];
        for (int j = 0; j < keyspace.databaseCount(); j++) {
            Database db = keyspace.db(j);
            if (db.table().size() == 0) {
                continue;
            }
            // The database's number, so the same data in another database digests differently.
            mix(fin, bigEndian(j), 0, 4);
            db.table().forEach(e -> {
                java.util.Arrays.fill(kv, (byte) 0);
                byte[] head = Entry.head(e);
                mix(kv, head, Entry.keyOffset(head), Entry.keyLength(head));
                value(kv, e);
                xor(fin, kv, 0, 20);
            });
        }
        return fin;
    }

    /** The digest of one key's value (DEBUG DIGEST-VALUE): 20 zero bytes when it is absent. */
    public byte[] value(Database db, byte[] key) {
        byte[] d = new byte[20];
        Object e = db.table().get(key);
        if (e != null) {
            value(d, e);
        }
        return d;
    }

    /** Redis's xorObjectDigest: the type, the contents, then whether it expires. */
    private void value(byte[] digest, Object e) {
        mix(digest, bigEndian(Entry.type(e).code()), 0, 4);
        switch (Entry.type(e)) {
            case STRING -> {
                byte[] a = (byte[]) e;
                int off = Entry.valueOffset(a);
                mix(digest, a, off, a.length - off);
            }
            case LIST -> {
                list.bind(e);
                Slice s = new Slice();
                list.seek(0, true);
                while (list.next(s)) {
                    mix(digest, s.array, s.offset, s.length);
                }
                list.clear();
            }
            case SET -> {
                set.bind(e);
                set.forEach((a, off, len) -> xor(digest, a, off, len));
                set.clear();
            }
            case ZSET -> {
                zset.bind(e);
                byte[] element = new byte[20];
                zset.seek(0, true);
                while (zset.next()) {
                    java.util.Arrays.fill(element, (byte) 0);
                    mix(element, zset.member.array, zset.member.offset, zset.member.length);
                    byte[] score = Doubles.format(zset.score).getBytes(StandardCharsets.US_ASCII);
                    mix(element, score, 0, score.length);
                    xor(digest, element, 0, 20); // Redis xors in the SHA-1 of the element's digest
                }
                zset.clear();
            }
            case HASH -> {
                hash.bind(e);
                byte[] element = new byte[20];
                hash.forEach((f, foff, flen, v, voff, vlen) -> {
                    java.util.Arrays.fill(element, (byte) 0);
                    mix(element, f, foff, flen);
                    mix(element, v, voff, vlen);
                    xor(digest, element, 0, 20); // Redis xors in the SHA-1 of the element's digest
                });
                hash.clear();
            }
            case STREAM -> {
                Stream s = (Stream) ((LargeValue) e).data;
                for (Stream.Entry entry : s.range(StreamId.MIN, StreamId.MAX, false, 0)) {
                    // "%U.%U": both parts unsigned.
                    byte[] id = (Long.toUnsignedString(entry.id().ms()) + "." + Long.toUnsignedString(entry.id().seq()))
                            .getBytes(StandardCharsets.US_ASCII);
                    mix(digest, id, 0, id.length);
                    for (byte[] part : entry.fieldsValues()) {
                        mix(digest, part, 0, part.length);
                    }
                }
            }
            default -> throw new IllegalStateException("no digest for " + Entry.type(e));
        }
        if (Entry.hasDeadline(Entry.head(e))) {
            xor(digest, EXPIRE, 0, EXPIRE.length);
        }
    }

    /** Redis's xorDigest: digest ^= SHA1(bytes), so order does not matter. */
    private void xor(byte[] digest, byte[] a, int off, int len) {
        sha1.update(a, off, len);
        xorRaw(digest, sha1.digest());
    }

    private static void xorRaw(byte[] digest, byte[] hash) {
        for (int j = 0; j < 20; j++) {
            digest[j] ^= hash[j];
        }
    }

    /** Redis's mixDigest: digest = SHA1(digest ^ SHA1(bytes)), so order matters. */
    private void mix(byte[] digest, byte[] a, int off, int len) {
        xor(digest, a, off, len);
        sha1.update(digest, 0, 20);
        System.arraycopy(sha1.digest(), 0, digest, 0, 20);
    }

    /** As htonl: the 4 bytes of {@code v}, most significant first. */
    private static byte[] bigEndian(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** 40 lowercase hex digits, as Redis replies with a digest. */
    public static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest);
    }
}
