package dev.panda.store;

import dev.panda.store.value.StreamId;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream's consumer group, as Redis's {@code streamCG}: the last delivered id, the logical
 * reads counter (-1 when unknown), the pending entries list (PEL: delivered, not yet
 * acknowledged) and the consumers, each with its own view of the PEL. A pending entry is one
 * object shared by the group's PEL and its owner's, as in Redis.
 *
 * <p>Changed only through {@link Streams} (which logs each change); read by commands. Store
 * thread only.
 */
public final class ConsumerGroup {
    /** Redis's SCG_INVALID_ENTRIES_READ. */
    public static final long INVALID_ENTRIES_READ = -1;

    StreamId lastId;
    long entriesRead;
    final TreeMap<StreamId, Pending> pel = new TreeMap<>();
    final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    ConsumerGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public StreamId lastId() {
        return lastId;
    }

    public long entriesRead() {
        return entriesRead;
    }

    /** The group's PEL by id (read only). */
    public java.util.NavigableMap<StreamId, Pending> pending() {
        return java.util.Collections.unmodifiableNavigableMap(pel);
    }

    /** Consumers in name order (read only). */
    public java.util.Collection<Consumer> consumers() {
        return java.util.Collections.unmodifiableCollection(consumers.values());
    }

    public Consumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** A deep copy (a snapshot's image, COPY). */
    ConsumerGroup copy() {
        ConsumerGroup g = new ConsumerGroup(lastId, entriesRead);
        for (Consumer c : consumers.values()) {
            Consumer cc = new Consumer(c.name, c.seenTime);
            g.consumers.put(cc.name, cc);
        }
        for (Map.Entry<StreamId, Pending> e : pel.entrySet()) {
            Pending p = e.getValue();
            Consumer owner = g.consumers.get(p.consumer.name);
            Pending pc = new Pending(owner, p.deliveryTime, p.deliveryCount);
            g.pel.put(e.getKey(), pc);
            owner.pel.put(e.getKey(), pc);
        }
        return g;
    }

    /** A consumer of the group: its name, when it was last seen, and its part of the PEL. */
    public static final class Consumer {
        final byte[] name;
        long seenTime;
        final TreeMap<StreamId, Pending> pel = new TreeMap<>();

        Consumer(byte[] name, long seenTime) {
            this.name = name;
            this.seenTime = seenTime;
        }

        public byte[] name() {
            return name;
        }

        public long seenTime() {
            return seenTime;
        }

        public java.util.NavigableMap<StreamId, Pending> pending() {
            return java.util.Collections.unmodifiableNavigableMap(pel);
        }
    }

    /** A delivered, unacknowledged entry (Redis's streamNACK). */
    public static final class Pending {
        Consumer consumer;
        long deliveryTime;
        long deliveryCount;

        Pending(Consumer consumer, long deliveryTime, long deliveryCount) {
            this.consumer = consumer;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }

        public Consumer consumer() {
            return consumer;
        }

        public long deliveryTime() {
            return deliveryTime;
        }

        public long deliveryCount() {
            return deliveryCount;
        }
    }
}
