package dev.panda.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panda.rdb.RdbBuffer;
import dev.panda.store.value.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream structure's pure parts: ids, node layout, deletes and trims, the RDB round trip. Test thread. */
class StreamTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Stream filled(int n, int nodeMaxEntries) {
        Stream s = new Stream(new SnapshotEpoch());
        for (int i = 1; i <= n; i++) {
            byte[][] fv = i % 3 == 0 ? new byte[][] {b("other"), b("v" + i)} : new byte[][] {b("f"), b(Integer.toString(i))};
            s.append(new StreamId(i, 0), fv, 0, 2, 4096, nodeMaxEntries);
        }
        return s;
    }

    @Test
    void idsParseAsRedisParsesThem() {
        assertThat(StreamId.parse(b("5"), 0, false, null)).isEqualTo(new StreamId(5, 0));
        assertThat(StreamId.parse(b("5"), -1L, false, null)).isEqualTo(new StreamId(5, -1L));
        assertThat(StreamId.parse(b("18446744073709551615-1"), 0, false, null)).isEqualTo(new StreamId(-1L, 1));
        assertThat(StreamId.parse(b("18446744073709551616-1"), 0, false, null)).isNull();
        assertThat(StreamId.parse(b("-"), 0, true, null)).isNull();
        assertThat(StreamId.parse(b("+"), 0, false, null)).isEqualTo(StreamId.MAX);
        boolean[] seq = new boolean[1];
        assertThat(StreamId.parse(b("7-*"), 0, true, seq)).isEqualTo(new StreamId(7, 0));
        assertThat(seq[0]).isFalse();
        assertThat(StreamId.parse(b("7-*"), 0, true, null)).isNull();
        assertThat(StreamId.parse(b("1-x"), 0, false, null)).isNull();
        assertThat(new StreamId(1, -1L).next()).isEqualTo(new StreamId(2, 0));
        assertThat(StreamId.MAX.next()).isNull();
        assertThat(StreamId.MIN.previous()).isNull();
        assertThat(StreamId.fromBytes(new StreamId(-5, 9).bytes(), 0)).isEqualTo(new StreamId(-5, 9));
    }

    @Test
    void entriesFillNodesAndReadBackBothWays() {
        Stream s = filled(250, 100);
        assertThat(s.nodeCount()).isEqualTo(3);
        assertThat(s.length()).isEqualTo(250);
        List<Stream.Entry> all = s.range(StreamId.MIN, StreamId.MAX, false, 0);
        assertThat(all).hasSize(250);
        assertThat(all.get(2).fieldsValues()[0]).isEqualTo(b("other"));
        assertThat(s.range(new StreamId(99, 0), new StreamId(102, 0), true, 0)).extracting(Stream.Entry::id)
                .containsExactly(new StreamId(102, 0), new StreamId(101, 0), new StreamId(100, 0), new StreamId(99, 0));
        assertThat(s.range(new StreamId(240, 0), StreamId.MAX, false, 3)).hasSize(3);
    }

    @Test
    void deletesLeaveTombstonesAndEmptiedNodesGo() {
        Stream s = filled(10, 5);
        assertThat(s.delete(new StreamId(3, 0))).isTrue();
        assertThat(s.delete(new StreamId(3, 0))).isFalse();
        assertThat(s.get(new StreamId(3, 0))).isNull();
        assertThat(s.length()).isEqualTo(9);
        for (int i = 1; i <= 5; i++) {
            s.delete(new StreamId(i, 0));
        }
        assertThat(s.nodeCount()).isEqualTo(1);
        s.refreshFirstId();
        assertThat(s.firstId()).isEqualTo(new StreamId(6, 0));
    }

    @Test
    void trimsExactlyOrByWholeNodes() {
        Stream s = filled(20, 5);
        assertThat(s.trim(12, null, true, 0)).isEqualTo(5); // one whole node: 15 left, not 12
        assertThat(s.trim(12, null, false, 0)).isEqualTo(3);
        assertThat(s.length()).isEqualTo(12);
        assertThat(s.firstId()).isEqualTo(new StreamId(9, 0));
        assertThat(s.trim(-1, new StreamId(15, 0), false, 0)).isEqualTo(6);
        assertThat(s.range(StreamId.MIN, StreamId.MAX, false, 0)).extracting(Stream.Entry::id).first().isEqualTo(new StreamId(15, 0));
    }

    @Test
    void theRdbEncodingRoundTripsAndRejectsDamage() throws Exception {
        Stream s = filled(30, 7);
        s.delete(new StreamId(4, 0));
        s.maxDeletedId = new StreamId(4, 0);
        s.groups = Stream.newGroupMap();
        ConsumerGroup g = new ConsumerGroup(new StreamId(10, 0), 9);
        ConsumerGroup.Consumer alice = new ConsumerGroup.Consumer(b("alice"), 1234);
        g.consumers.put(alice.name, alice);
        ConsumerGroup.Pending p = new ConsumerGroup.Pending(alice, 999, 2);
        g.pel.put(new StreamId(5, 0), p);
        alice.pel.put(new StreamId(5, 0), p);
        s.groups.put(b("g"), g);
        byte[] payload = StreamRdb.payload(s);
        RdbBuffer in = RdbBuffer.reader(payload);
        Stream back = StreamRdb.read(in.readType(), in, new Stream(new SnapshotEpoch()));
        assertThat(StreamRdb.payload(back)).isEqualTo(payload);
        assertThat(back.group(b("g")).pending().get(new StreamId(5, 0)).deliveryCount()).isEqualTo(2);
        byte[] damaged = payload.clone();
        damaged[40] ^= 0x55; // inside the first node
        RdbBuffer bad = RdbBuffer.reader(damaged);
        assertThatThrownBy(() -> StreamRdb.read(bad.readType(), bad, new Stream(new SnapshotEpoch())))
                .isInstanceOf(RdbBuffer.Malformed.class);
    }
}
