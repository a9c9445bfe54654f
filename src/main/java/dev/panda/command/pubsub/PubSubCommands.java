package dev.panda.command.pubsub;

import dev.panda.command.Client;
import dev.panda.command.PubSub;
import dev.panda.protocol.Reply;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pub/Sub commands with Redis 7.0's replies ({@code pubsub.c}): (S|P)SUBSCRIBE and
 * (S|P)UNSUBSCRIBE answer one frame per channel or pattern (a RESP3 push), PUBLISH and
 * SPUBLISH the number of deliveries, PUBSUB its introspection. Store thread only.
 */
public final class PubSubCommands {
    private static PubSub pubsub(Client c) {
        return c.server().pubsub();
    }

    /** One (un)subscription confirmation: kind, channel (or nil), count. */
    private static void confirm(Reply r, String kind, byte[] channel, int count) {
        r.push(3);
        r.bulk(kind);
        if (channel == null) {
            r.nullBulk();
        } else {
            r.bulk(channel);
        }
        r.integer(count);
    }

    public void subscribe(Client c, byte[][] argv, Reply r) {
        for (int i = 1; i < argv.length; i++) {
            pubsub(c).subscribe(c, argv[i], false);
            confirm(r, "subscribe", argv[i], c.subscriptions().count());
        }
    }

    public void ssubscribe(Client c, byte[][] argv, Reply r) {
        for (int i = 1; i < argv.length; i++) {
            pubsub(c).subscribe(c, argv[i], true);
            confirm(r, "ssubscribe", argv[i], c.subscriptions().shardCount());
        }
    }

    public void psubscribe(Client c, byte[][] argv, Reply r) {
        for (int i = 1; i < argv.length; i++) {
            pubsub(c).psubscribe(c, argv[i]);
            confirm(r, "psubscribe", argv[i], c.subscriptions().count());
        }
    }

    public void unsubscribe(Client c, byte[][] argv, Reply r) {
        unsubscribe(c, argv, r, false, "unsubscribe");
    }

    public void sunsubscribe(Client c, byte[][] argv, Reply r) {
        unsubscribe(c, argv, r, true, "sunsubscribe");
    }

    private void unsubscribe(Client c, byte[][] argv, Reply r, boolean shard, String kind) {
        List<ByteBuffer> which = new ArrayList<>();
        if (argv.length == 1) {
            which.addAll(shard ? c.subscriptions().shardChannels() : c.subscriptions().channels());
            if (which.isEmpty()) {
                confirm(r, kind, null, shard ? c.subscriptions().shardCount() : c.subscriptions().count());
                return;
            }
        } else {
            for (int i = 1; i < argv.length; i++) {
                which.add(ByteBuffer.wrap(argv[i]));
            }
        }
        for (ByteBuffer ch : which) {
            pubsub(c).unsubscribe(c, ch, shard);
            confirm(r, kind, ch.array(), shard ? c.subscriptions().shardCount() : c.subscriptions().count());
        }
    }

    public void punsubscribe(Client c, byte[][] argv, Reply r) {
        List<ByteBuffer> which = new ArrayList<>();
        if (argv.length == 1) {
            which.addAll(c.subscriptions().patterns());
            if (which.isEmpty()) {
                confirm(r, "punsubscribe", null, c.subscriptions().count());
                return;
            }
        } else {
            for (int i = 1; i < argv.length; i++) {
                which.add(ByteBuffer.wrap(argv[i]));
            }
        }
        for (ByteBuffer p : which) {
            pubsub(c).punsubscribe(c, p);
            confirm(r, "punsubscribe", p.array(), c.subscriptions().count());
        }
    }

    public void publish(Client c, byte[][] argv, Reply r) {
        r.integer(pubsub(c).publish(argv[1], argv[2], false));
    }

    public void spublish(Client c, byte[][] argv, Reply r) {
        r.integer(pubsub(c).publish(argv[1], argv[2], true));
    }

    public void channels(Client c, byte[][] argv, Reply r) {
        channelList(c, argv, r, false);
    }

    public void shardchannels(Client c, byte[][] argv, Reply r) {
        channelList(c, argv, r, true);
    }

    private static void channelList(Client c, byte[][] argv, Reply r, boolean shard) {
        List<byte[]> list = pubsub(c).channels(argv.length > 2 ? argv[2] : null, shard);
        r.array(list.size());
        list.forEach(r::bulk);
    }

    public void numsub(Client c, byte[][] argv, Reply r) {
        counts(c, argv, r, false);
    }

    public void shardnumsub(Client c, byte[][] argv, Reply r) {
        counts(c, argv, r, true);
    }

    private static void counts(Client c, byte[][] argv, Reply r, boolean shard) {
        r.array((argv.length - 2) * 2);
        for (int i = 2; i < argv.length; i++) {
            r.bulk(argv[i]);
            r.integer(pubsub(c).subscribers(argv[i], shard));
        }
    }

    public void numpat(Client c, byte[][] argv, Reply r) {
        r.integer(pubsub(c).patternCount());
    }

    public void help(Client c, byte[][] argv, Reply r) {
        dev.panda.command.Help.reply(r, "PUBSUB",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }
}
