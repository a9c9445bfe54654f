package dev.panda.command;

import java.nio.ByteBuffer;

/**
 * A key in one database, usable as a map key (blocked clients' queues, watched keys); the bytes
 * are compared by content. Immutable once made (the caller hands over bytes it no longer
 * changes); any thread.
 */
record DbKey(int db, ByteBuffer key) {
    static DbKey of(int db, byte[] key) {
        return new DbKey(db, ByteBuffer.wrap(key));
    }

    byte[] bytes() {
        return key.array();
    }
}
