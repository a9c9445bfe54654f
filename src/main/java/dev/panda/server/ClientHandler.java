package dev.panda.server;

import dev.panda.command.Client;
import dev.panda.command.CommandFlag;
import dev.panda.command.CommandSpec;
import dev.panda.command.Dispatcher;
import dev.panda.command.ServerContext;
import dev.panda.protocol.ProtocolException;
import dev.panda.protocol.RespDecoder;
import dev.panda.protocol.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: runs each decoded command on this same thread (the event loop that
 * owns the keyspace), collects the replies of everything that arrived in one read into a single
 * buffer and flushes it once, which makes pipelining cheap. A client that does not read its
 * replies is paused: once its unsent output passes Netty's high water mark the decoder stops
 * handing over commands and the socket stops being read, so neither its input nor its output
 * can grow without bound; it resumes when the output drains. A MONITOR client's feed is
 * buffered apart from its replies and written once per event-loop pass, after any replies it
 * still has waiting; a monitor that lets more than {@link #MONITOR_OUTPUT_LIMIT} bytes pile up
 * unread is disconnected, so a slow monitor costs neither the server's memory nor other
 * clients' time.
 *
 * <p>Netty event loop (the store thread).
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements Client.Connection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    /** Replies are written out early once a batch's output passes this size. */
    private static final int EARLY_WRITE_BYTES = 64 * 1024;
    /** Most unsent bytes a MONITOR client may have before it is disconnected. */
    static final long MONITOR_OUTPUT_LIMIT = 16L << 20;

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final RespDecoder decoder;
    private final ReplyGate gate;
    private final OutputBufferLimits limits;
    private final OutputBufferLimits.SoftState softLimit = new OutputBufferLimits.SoftState();
    private final RespWriter writer = new RespWriter();
    private ChannelHandlerContext ctx;
    private Client client;
    private ByteBuf pending;
    private long inputCounted;
    private boolean closeAfterFlush;
    /** The current batch ran a command that changed data (its replies need the log commit). */
    private boolean batchChanged;
    /** MONITOR lines not yet handed to Netty. */
    private ByteBuf feed;
    private boolean feedFlushScheduled;
    private final Runnable feedFlush = this::flushFeed;
    /** Commands received while the client is blocked, run once it is served. */
    private final java.util.ArrayDeque<Object> held = new java.util.ArrayDeque<>();

    ClientHandler(ServerContext server, Dispatcher dispatcher, RespDecoder decoder, ReplyGate gate, OutputBufferLimits limits) {
        this.limits = limits;
        this.server = server;
        writer.onError(server.stats()::countError); // INFO errorstats and total_error_replies
        this.dispatcher = dispatcher;
        this.decoder = decoder;
        this.gate = gate;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (server.clients().size() >= server.config().getLong("maxclients")) {
            server.stats().rejectedConnections++;
            ByteBuf msg = ctx.alloc().buffer();
            msg.writeCharSequence("-ERR max number of clients reached\r\n", java.nio.charset.StandardCharsets.US_ASCII);
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (ProtectedMode.refuses(server.config().getBool("protected-mode"), server.acl().defaultUser().needsNoPasswordFlag(),
                ctx.channel().remoteAddress())) {
            server.stats().rejectedConnections++;
            ByteBuf msg = ctx.alloc().buffer();
            msg.writeCharSequence(ProtectedMode.DENIED, java.nio.charset.StandardCharsets.US_ASCII);
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client = new Client(server.clients().nextId(), this, server);
        server.clients().add(client);
        server.stats().connectionsReceived++;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) {
            server.blocking().disconnected(client);
            server.clientPause().disconnected(client);
            server.watches().unwatchAll(client);
            server.pubsub().forget(client);
            server.tracking().disable(client);
            server.clients().remove(client);
            server.monitors().remove(client);
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (feed != null) {
            feed.release();
            feed = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (client == null || client.closing()) {
            return;
        }
        if (client.blocked() || client.postponed()) {
            held.add(msg);
            return;
        }
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
            writer.target(pending);
        }
        if (msg instanceof ProtocolException e) {
            pending.writeBytes(RespDecoder.errorReply(e));
            LOG.debug("closing client {}: protocol error: {}", remoteAddress(), e.getMessage());
            closeAfterFlush = true;
            client.close();
            return;
        }
        byte[][] argv = (byte[][]) msg;
        if (CrossProtocolGuard.isHttp(argv[0])) {
            CrossProtocolGuard.warn(remoteAddress(), server.clock().nowMillis());
            client.close();
            return;
        }
        int mark = pending.writerIndex();
        server.keyspace().setTouching(!client.noTouch());
        long changesBefore = server.durability().changeCount();
        CommandSpec ran = dispatcher.dispatch(client, argv, writer);
        if (ran != null) {
            // A script or a transaction is no write command, yet may have written: the log's count says.
            if (ran.is(CommandFlag.WRITE) || server.durability().changeCount() != changesBefore) {
                batchChanged = true;
            }
            server.blocking().serveReady(dispatcher);
        }
        switch (client.replyMode()) {
            case ON -> { }
            case OFF -> pending.writerIndex(mark);
            case SKIP -> {
                pending.writerIndex(mark);
                client.setReplyMode(Client.ReplyMode.SKIP_NEXT);
            }
            case SKIP_NEXT -> {
                pending.writerIndex(mark);
                client.setReplyMode(Client.ReplyMode.ON);
            }
        }
        if (pending.readableBytes() > EARLY_WRITE_BYTES && gate.commitNow()) {
            flushReplies();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        long received = decoder.bytesReceived();
        server.stats().netInputBytes += received - inputCounted;
        server.stats().readsProcessed++;
        inputCounted = received;
        gate.release(this);
    }

    /**
     * The log commit for this batch failed: replies that acknowledge changes must not go out,
     * so a connection whose batch changed data is closed without them; read-only batches are
     * answered.
     */
    void failBatch() {
        if (!batchChanged) {
            flushReplies();
            return;
        }
        LOG.warn("closing client {}: its writes could not be logged", remoteAddress());
        if (pending != null) {
            pending.release();
            pending = null;
        }
        batchChanged = false;
        ctx.close();
    }

    /** Sends this connection's pending replies (the gate calls this once they may go out). */
    void flushReplies() {
        batchChanged = false;
        if (!ctx.channel().isActive() && pending != null) {
            pending.release();
            pending = null;
            return;
        }
        if (pending != null) {
            ByteBuf out = pending;
            pending = null;
            server.stats().netOutputBytes += out.readableBytes();
            server.stats().writesProcessed++;
            if (closeAfterFlush) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (out.isReadable()) {
                if (overOutputLimit(out.readableBytes())) {
                    out.release();
                    return;
                }
                ctx.writeAndFlush(out, ctx.voidPromise());
            } else {
                out.release();
            }
        } else if (closeAfterFlush) {
            ctx.close();
            return;
        }
        if (feed != null) {
            writeFeed();
        }
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            // Commands already received but held back by the decoder while paused: run them now.
            // On the TLS port the decoder sits behind the TLS handler, which would take the nudge
            // for ciphertext: it starts there.
            ChannelHandlerContext tls = ctx.pipeline().context(SslHandler.class);
            if (tls != null) {
                tls.fireChannelRead(Unpooled.EMPTY_BUFFER);
                tls.fireChannelReadComplete();
            } else {
                ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
                ctx.pipeline().fireChannelReadComplete();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing client {}: {}", remoteAddress(), cause.toString());
        ctx.close();
    }

    // Client.Connection

    /** Closes after the replies pending for this client are written. */
    @Override
    public void close() {
        closeAfterFlush = true;
        if (ctx.executor().inEventLoop() && pending == null) {
            // Not in the middle of this client's own batch (e.g. CLIENT KILL from another client).
            flushReplies();
        }
    }

    @Override
    public void feed(byte[] bytes) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (feed == null) {
            feed = ctx.alloc().ioBuffer(Math.max(256, bytes.length));
        }
        feed.writeBytes(bytes);
        if (!feedFlushScheduled) {
            feedFlushScheduled = true;
            ctx.executor().execute(feedFlush);
        }
    }

    /** Once per event-loop pass; replies of this client still waiting at the gate go first. */
    private void flushFeed() {
        feedFlushScheduled = false;
        if (feed != null && pending == null) {
            writeFeed();
        }
    }

    private void writeFeed() {
        ByteBuf out = feed;
        feed = null;
        if (!ctx.channel().isActive()) {
            out.release();
            return;
        }
        var outbound = ctx.channel().unsafe().outboundBuffer();
        long unsent = (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + out.readableBytes();
        boolean over = client.monitoring() ? unsent > MONITOR_OUTPUT_LIMIT
                : limits.exceeded(outputClass(), unsent, server.clock().nowMillis(), softLimit);
        if (over) {
            out.release();
            LOG.warn("closing {} client {}: {} bytes of its output unsent, over its client-output-buffer-limit (it does not read fast enough)",
                    client.monitoring() ? "MONITOR" : "pubsub", remoteAddress(), unsent);
            server.stats().outputBufferLimitDisconnections++;
            if (client.monitoring()) {
                server.stats().monitorsDisconnected++;
                server.monitors().remove(client);
            }
            ctx.close();
            return;
        }
        server.stats().netOutputBytes += out.readableBytes();
        server.stats().writesProcessed++;
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    /** The client-output-buffer-limit class of this connection, as Redis's getClientType decides it. */
    private OutputBufferLimits.ClientClass outputClass() {
        return client != null && client.subscriptions().any() ? OutputBufferLimits.ClientClass.PUBSUB
                : OutputBufferLimits.ClientClass.NORMAL;
    }

    /** Closes the connection when replies would take its unsent output past its class's limits. */
    private boolean overOutputLimit(long adding) {
        var outbound = ctx.channel().unsafe().outboundBuffer();
        long unsent = (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + adding;
        if (!limits.exceeded(outputClass(), unsent, server.clock().nowMillis(), softLimit)) {
            return false;
        }
        LOG.warn("closing client {}: {} bytes of replies unsent, over its client-output-buffer-limit", remoteAddress(), unsent);
        server.stats().outputBufferLimitDisconnections++;
        ctx.close();
        return true;
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        var future = ctx.executor().schedule(task, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public long queryBufferBytes() {
        return decoder.queryBufferBytes();
    }

    @Override
    public long queryBufferFree() {
        return decoder.queryBufferFree();
    }

    @Override
    public long takeQueryBufferPeak() {
        return decoder.takeQueryBufferPeak();
    }

    @Override
    public long replyBufferSize() {
        return pending == null ? 0 : pending.capacity();
    }

    @Override
    public boolean writePending() {
        return ctx != null && !ctx.channel().isWritable();
    }

    @Override
    public long bufferedBytes() {
        if (ctx == null) {
            return 0;
        }
        var outbound = ctx.channel().unsafe().outboundBuffer();
        return (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + (pending == null ? 0 : pending.capacity())
                + (feed == null ? 0 : feed.readableBytes());
    }

    @Override
    public void postpone(Object command) {
        held.addFirst(command);
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void resumePostponed() {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.channel().config().setAutoRead(true);
        ctx.executor().execute(this::runHeld);
    }

    @Override
    public void blocked() {
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void resume(java.util.function.Predicate<dev.panda.protocol.Reply> work) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
            writer.target(pending);
        }
        if (!work.test(writer)) {
            return;
        }
        batchChanged = true;
        ctx.channel().config().setAutoRead(true);
        gate.release(this);
        if (!held.isEmpty()) {
            ctx.executor().execute(this::runHeld);
        }
    }

    /** Runs the commands that arrived while the client was blocked, until it blocks again. */
    private void runHeld() {
        while (!held.isEmpty() && !client.blocked() && !client.postponed() && ctx.channel().isActive()) {
            channelRead(ctx, held.poll());
        }
        gate.release(this);
    }

    @Override
    public void setProtocol(int protocol) {
        writer.setProtocol(protocol);
    }

    @Override
    public String remoteAddress() {
        return format(ctx.channel().remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(ctx.channel().localAddress());
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
