package dev.panda.store;

/**
 * The kinds of change a stream reports through {@link Effects#stream}, each with what it
 * carries in {@code items}. Each is the result, not the request: ids are absolute, times are
 * epoch ms, a trim is the first id that remains. Ids are 16 bytes ({@code StreamId#bytes}),
 * numbers decimal. Immutable; any thread.
 */
public enum StreamChange {
    /** id, field, value, …: an entry was appended (the stream is created if absent). */
    ADD,
    /** [first id kept]: every entry before it is gone (none given: every entry is). */
    TRIM,
    /** id, …: these entries were deleted (XDEL). */
    DELETE,
    /** last id, entries added, max deleted id: the stream's counters (the stream is created if absent). */
    SET_ID,
    /** group, last id, entries read: the group now has these (created if absent). */
    GROUP,
    /** group: the group was destroyed. */
    GROUP_DESTROY,
    /** group, consumer, seen time, created (1 or 0): the consumer exists and was seen then. */
    CONSUMER,
    /** group, consumer: the consumer and its pending entries were deleted. */
    CONSUMER_DELETE,
    /** group, consumer, delivery time, id, delivery count, id, count, …: these entries are pending for the consumer. */
    PENDING,
    /** group, id, …: these pending entries were acknowledged. */
    ACK
}
