package dev.panda.persistence;

import dev.panda.persistence.wal.WalOpcode;
import dev.panda.persistence.wal.WalRecord;
import dev.panda.store.Count;
import dev.panda.store.Database;
import dev.panda.store.Keyspace;

/**
 * Applies write-ahead-log records to the keyspace with the store's own operations, the same
 * code that made the changes live, so replay and the live path cannot drift apart. The
 * keyspace's effects must be off ({@link dev.panda.store.Effects#NONE}) meanwhile.
 *
 * <p>The loading thread, at start-up (it owns the keyspace until the store thread takes over).
 */
final class EffectReplay {
    private final Keyspace keyspace;
    private final Count ignored = new Count();

    EffectReplay(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    void apply(WalRecord record) {
        if (record instanceof WalRecord.Group g) {
            g.effects().forEach(this::apply);
        } else if (record instanceof WalRecord.Set s) {
            db(s.db()).strings().set(s.key(), s.value(), s.expireAtMs());
        } else if (record instanceof WalRecord.Delete d) {
            db(d.db()).delete(d.key());
        } else if (record instanceof WalRecord.ExpireAt e) {
            db(e.db()).expireAt(e.key(), e.atMs());
        } else if (record instanceof WalRecord.Persist p) {
            db(p.db()).persist(p.key());
        } else if (record instanceof WalRecord.FlushDb f) {
            db(f.db()).flush();
        } else if (record instanceof WalRecord.SwapDb w) {
            keyspace.swap(w.a(), w.b());
        } else if (record instanceof WalRecord.Rename r) {
            db(r.db()).rename(r.from(), r.to());
        } else if (record instanceof WalRecord.Copy c) {
            db(c.db()).copy(c.src(), db(c.dstDb()), c.dst(), true);
        } else if (record instanceof WalRecord.Move m) {
            db(m.db()).move(m.key(), db(m.dstDb()));
        } else if (record instanceof WalRecord.HashSet h) {
            db(h.db()).hashes().set(h.key(), h.items(), 0, h.items().length, ignored);
        } else if (record instanceof WalRecord.HashDelete h) {
            db(h.db()).hashes().delete(h.key(), h.fields(), 0, h.fields().length, ignored);
        } else if (record instanceof WalRecord.SetAdd a) {
            db(a.db()).sets().add(a.key(), a.members(), 0, a.members().length, ignored);
        } else if (record instanceof WalRecord.SetRemove r) {
            db(r.db()).sets().remove(r.key(), r.members(), 0, r.members().length, ignored);
        } else if (record instanceof WalRecord.Items r) {
            applyItems(r);
        } else {
            throw new IllegalArgumentException("cannot replay " + record);
        }
    }

    private void applyItems(WalRecord.Items r) {
        Database db = db(r.db());
        byte[][] items = r.items();
        switch (r.op()) {
            case LIST_PUSH_HEAD, LIST_PUSH_TAIL -> db.lists().push(r.key(), r.op() == WalOpcode.LIST_PUSH_HEAD, items, 0, items.length, ignored);
            case LIST_POP_HEAD, LIST_POP_TAIL -> db.lists().popQuietly(r.key(), r.op() == WalOpcode.LIST_POP_HEAD, r.number());
            case LIST_SET -> db.lists().set(r.key(), r.number(), items[1], ignored);
            case LIST_INSERT -> db.lists().insertAt(r.key(), r.number(), items[1]);
            case LIST_REMOVE -> db.lists().remove(r.key(), r.number(), items[1], ignored);
            case ZSET_ADD -> db.zsets().apply(r.key(), items, 0, items.length);
            case ZSET_REMOVE -> db.zsets().remove(r.key(), items, 0, items.length, ignored);
            case FUNCTION_LOAD -> keyspace.functions().put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), items[0]);
            case FUNCTION_DELETE -> keyspace.functions().delete(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            case FUNCTION_FLUSH -> keyspace.functions().flush();
            case STRING_WRITE -> db.strings().write(r.key(), r.number(), items[1], 0, items[1].length);
            case STREAM_ADD, STREAM_TRIM, STREAM_DELETE, STREAM_SET_ID, STREAM_GROUP, STREAM_GROUP_DESTROY, STREAM_CONSUMER,
                    STREAM_CONSUMER_DELETE, STREAM_PENDING, STREAM_ACK ->
                db.streams().apply(r.key(), dev.panda.store.StreamChange.values()[r.op().code() - WalOpcode.STREAM_ADD.code()], items);
            default -> throw new IllegalArgumentException("cannot replay " + r);
        }
    }

    private Database db(int index) {
        return keyspace.db(index);
    }
}
