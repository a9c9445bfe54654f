package dev.panda.server;

import dev.panda.command.CommandTable;
import dev.panda.command.Dispatcher;
import dev.panda.command.ServerContext;
import dev.panda.config.ServerConfig;
import dev.panda.protocol.RespDecoder;
import dev.panda.protocol.RespLimits;
import dev.panda.store.Clock;
import dev.panda.store.EncodingLimits;
import dev.panda.store.Keyspace;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import dev.panda.metrics.MetricsEndpoint;
import dev.panda.persistence.Persistence;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the network side: one Netty event loop thread accepts connections, decodes
 * requests and runs every command (Redis's single-threaded model: that thread owns the
 * keyspace, so the store needs no locks and no hand-off). A periodic task on the same thread
 * runs active expiry and closes idle clients. epoll where available, NIO elsewhere.
 *
 * <p>{@link #start} and {@link #stop} are called from the main thread (or a shutdown thread);
 * the data loads on a {@code panda-load} thread during {@link #start}; everything else runs on
 * the event loop, except the metrics endpoint (its own thread, started while the data loads so
 * that {@code /ready} can say it is loading).
 */
public final class PandaServer {
    private static final Logger LOG = LoggerFactory.getLogger(PandaServer.class);

    private final ServerConfig config;
    private final Keyspace keyspace;
    private final Persistence persistence;
    private final EventLoopGroup loop;
    private final IoHandlerFactory ioFactory;
    private final boolean epoll;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Built in {@link #start}, while the data loads. */
    private volatile ServerContext context;
    private ScheduledFuture<?> cron;
    private ReplyGate gate;
    private volatile MetricsEndpoint metrics;
    /** Built in {@link #start}; the TLS context and listener (closed while tls-port is 0). */
    private TlsContexts tls;
    private PortListener tlsListener;
    private PortListener plainListener;
    /** The bind addresses the listeners use, to tell a failed CONFIG SET bind from a failed port. */
    private String boundAddresses;
    private long lastClientCheck;

    public PandaServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.keyspace = new Keyspace(config.getInt("databases"), clock);
        followEncodingLimits(config, keyspace.limits());
        this.epoll = Epoll.isAvailable();
        this.ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.loop = new MultiThreadIoEventLoopGroup(1, ioFactory);
        this.persistence = new Persistence(config, keyspace, loop.next());
    }

    /** The packed encodings' thresholds come from the configuration, now and at every CONFIG SET. */
    private static void followEncodingLimits(ServerConfig config, EncodingLimits limits) {
        java.util.function.ToIntFunction<String> read = name -> (int) Math.min(Integer.MAX_VALUE, config.getLong(name));
        limits.hashMaxListpackEntries = read.applyAsInt("hash-max-listpack-entries");
        limits.hashMaxListpackValue = read.applyAsInt("hash-max-listpack-value");
        limits.setMaxIntsetEntries = read.applyAsInt("set-max-intset-entries");
        config.onChange("hash-max-listpack-entries", v -> limits.hashMaxListpackEntries = read.applyAsInt("hash-max-listpack-entries"));
        config.onChange("hash-max-listpack-value", v -> limits.hashMaxListpackValue = read.applyAsInt("hash-max-listpack-value"));
        config.onChange("set-max-intset-entries", v -> limits.setMaxIntsetEntries = read.applyAsInt("set-max-intset-entries"));
        java.util.function.ToIntFunction<String> readSigned = name -> (int) config.getLong(name);
        limits.listMaxListpackSize = readSigned.applyAsInt("list-max-listpack-size");
        limits.zsetMaxListpackEntries = read.applyAsInt("zset-max-listpack-entries");
        limits.zsetMaxListpackValue = read.applyAsInt("zset-max-listpack-value");
        config.onChange("list-max-listpack-size", v -> limits.listMaxListpackSize = readSigned.applyAsInt("list-max-listpack-size"));
        config.onChange("zset-max-listpack-entries", v -> limits.zsetMaxListpackEntries = read.applyAsInt("zset-max-listpack-entries"));
        limits.streamNodeMaxBytes = read.applyAsInt("stream-node-max-bytes");
        limits.streamNodeMaxEntries = read.applyAsInt("stream-node-max-entries");
        config.onChange("stream-node-max-bytes", v -> limits.streamNodeMaxBytes = read.applyAsInt("stream-node-max-bytes"));
        config.onChange("stream-node-max-entries", v -> limits.streamNodeMaxEntries = read.applyAsInt("stream-node-max-entries"));
        config.onChange("zset-max-listpack-value", v -> limits.zsetMaxListpackValue = read.applyAsInt("zset-max-listpack-value"));
    }

    /** The commands' view of the server; null until {@link #start} has built it. */
    public ServerContext context() {
        return context;
    }

    /** Persistence, to be tuned (tests: failing files, snapshot priority) before {@link #start}. */
    public Persistence persistence() {
        return persistence;
    }

    /**
     * Loads the data and meanwhile builds the command table and binds every configured address
     * (clients connecting before the load ends get -LOADING); returns the port actually bound
     * (useful with port 0). Throws when the data cannot be loaded: the server never starts empty
     * over data it failed to read.
     */
    public int start() throws InterruptedException, IOException {
        // The load runs on its own thread from the first moment, so that the rest of start-up
        // (the command table, the listeners: about a tenth of a second) overlaps with it. The
        // event loop does not touch the keyspace while loading (commands get -LOADING, periodic
        // tasks wait); the submit() after the load hands the keyspace over to it.
        long loadStart = System.nanoTime();
        FutureTask<Void> loading = new FutureTask<>(() -> {
            persistence.recover();
            return null;
        });
        new Thread(loading, "panda-load").start();
        int port;
        try {
            port = listen();
        } catch (IOException | RuntimeException | InterruptedException e) {
            awaitQuietly(loading);
            throw e;
        }
        try {
            loading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        } finally {
            loop.next().submit(() -> {
                context.startLatencyEvents();
                context.setLoading(false);
            }).sync();
        }
        writePidFile();
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        long period = Math.max(1, 1000 / config.getInt("hz"));
        cron = loop.next().scheduleAtFixedRate(this::cron, period, period, TimeUnit.MILLISECONDS);
        long keys = loop.next().submit(() -> context.keyspace().size()).sync().getNow();
        LOG.info("Panda {} ready to accept connections tcp port={}{} bind={} transport={} storage={} loaded {} keys in {} ms",
                ServerContext.PANDA_VERSION, port, tlsListener.port() == 0 ? "" : " tls port=" + tlsListener.port()
                        + " tls provider=" + tls.providerName(),
                config.get("bind"), epoll ? "epoll" : "nio", persistence.storageStatus().backend(), keys, loadMillis);
        return port;
    }

    /** Builds the command table and the commands' context, binds every address and starts the metrics endpoint; returns the port. */
    private int listen() throws InterruptedException, IOException {
        context = new ServerContext(config, keyspace, persistence, new CommandTable(),
                save -> new Thread(() -> stop(save), "panda-shutdown").start(), PandaServer::networkBufferBytes);
        context.setLoading(true);
        context.setMultiplexingApi(epoll ? "epoll" : "nio");
        Dispatcher dispatcher = new Dispatcher(context);
        context.setDispatcher(dispatcher);
        gate = new ReplyGate(context.durability(), loop.next());
        context.tracking().setExecutor(loop.next());
        OutputBufferLimits outputLimits = new OutputBufferLimits(config.get("client-output-buffer-limit"));
        config.onChange("client-output-buffer-limit", outputLimits::update);
        tls = new TlsContexts(config);
        tlsListener = new PortListener(bootstrap(true, dispatcher, outputLimits), loop, ioFactory, "panda-tls-accept");
        plainListener = new PortListener(bootstrap(false, dispatcher, outputLimits), loop, ioFactory, "panda-accept");
        int tlsPort = config.getInt("tls-port");
        if (tlsPort != 0) {
            try {
                tls.reload();
            } catch (IllegalArgumentException e) {
                throw new IOException("Failed to configure TLS. Check logs for more info.", e);
            }
            try {
                tlsListener.listen(config.get("bind"), tlsPort);
            } catch (Exception e) {
                throw new IOException("cannot listen on TLS port " + tlsPort + ": " + e, e);
            }
        }
        java.util.Set<String> tlsDirectives = new java.util.HashSet<>(TlsContexts.CONTEXT_DIRECTIVES);
        tlsDirectives.add("tls-port");
        config.onApply(tlsDirectives, this::applyTls);
        // port 0: no plain-text listener when TLS has one, as in Redis; without TLS, any free port.
        int port = config.getInt("port");
        if (port != 0 || tlsPort == 0) {
            try {
                plainListener.listen(config.get("bind"), port);
            } catch (Exception e) {
                throw new IOException("cannot listen on port " + port + ": " + e, e);
            }
            port = plainListener.port();
        }
        boundAddresses = config.get("bind");
        config.onApply(java.util.Set.of("port", "bind"), this::applyListeners);
        context.setTcpPort(port);
        String metricsUrl = startMetrics();
        LOG.info("Panda {} (Redis {} protocol) pid={} port={} dir={} storage={} metrics={}: loading data",
                ServerContext.PANDA_VERSION, ServerContext.REDIS_VERSION, ProcessHandle.current().pid(), port,
                Path.of(config.get("dir")).toAbsolutePath().normalize(), config.getBool("use-s3") ? "s3" : "local", metricsUrl);
        return port;
    }

    /**
     * A server bootstrap with the connection options and pipeline: on the TLS port the TLS
     * handler comes first and everything behind it is the plain port's.
     */
    private ServerBootstrap bootstrap(boolean withTls, Dispatcher dispatcher, OutputBufferLimits outputLimits) {
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return new ServerBootstrap()
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, config.getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int keepAlive = config.getInt("tcp-keepalive");
                        if (keepAlive > 0) {
                            ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
                            if (epoll) {
                                ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, keepAlive);
                                ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, keepAlive / 3));
                            }
                        }
                        if (withTls) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        RespDecoder decoder = new RespDecoder(limits());
                        ch.pipeline().addLast(decoder, new ClientHandler(context, dispatcher, decoder, gate, outputLimits));
                    }
                });
    }

    /**
     * CONFIG SET of a tls-* directive (store thread), as Redis's applyTlsCfg and applyTLSPort: with
     * tls-port set, a new context from the files as they are now (even under the same names) and
     * the listener moved to the port; on any failure the old context and listener stay. tls-port 0
     * closes the listener.
     */
    private void applyTls() {
        int tlsPort = config.getInt("tls-port");
        if (tlsPort == 0) {
            tlsListener.close();
            return;
        }
        io.netty.handler.ssl.SslContext fresh = tls.build();
        if (tlsPort != tlsListener.port()) {
            try {
                tlsListener.listen(config.get("bind"), tlsPort);
            } catch (Exception e) {
                throw new IllegalArgumentException("Unable to listen on this port. Check server logs.", e);
            }
        }
        tls.use(fresh);
        LOG.info("TLS configuration applied: port {}, certificate {}", tlsPort, config.get("tls-cert-file"));
    }

    /**
     * CONFIG SET port or bind (store thread), as Redis's applyPort and applyBind: the plain-text
     * listener (and the TLS one, on a new bind) moves; port 0 closes the plain-text listener. On
     * failure the previous sockets stay and the error is Redis's.
     */
    private void applyListeners() {
        int port = config.getInt("port");
        String bind = config.get("bind");
        try {
            if (port == 0) {
                plainListener.close();
            } else if (port != plainListener.port() || !bind.equals(boundAddresses)) {
                plainListener.move(bind, port);
            }
            if (tlsListener.port() != 0 && !bind.equals(boundAddresses)) {
                tlsListener.move(bind, tlsListener.port());
            }
        } catch (Exception e) {
            throw new IllegalArgumentException(bind.equals(boundAddresses) ? "Unable to listen on this port. Check server logs."
                    : "Failed to bind to specified addresses.", e);
        }
        boundAddresses = bind;
        context.setTcpPort(port);
    }

    /** The TLS port listened on, 0 when there is none. */
    public int tlsPort() {
        return tlsListener == null ? 0 : tlsListener.port();
    }

    /** Waits for the load to end, whatever its outcome (start-up failed elsewhere). */
    private static void awaitQuietly(FutureTask<Void> loading) {
        try {
            loading.get();
        } catch (ExecutionException e) {
            LOG.debug("load ended with {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the metrics endpoint when metrics-port is set; returns its URL, or "off". */
    private String startMetrics() throws IOException {
        int port = config.getInt("metrics-port");
        if (port == 0) {
            return "off";
        }
        String bind = config.get("metrics-bind");
        try {
            metrics = MetricsEndpoint.start(context, loop.next(), bind, port);
        } catch (IOException e) {
            throw new IOException("cannot listen for metrics on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        return "http://" + bind + ":" + metrics.port() + "/metrics";
    }

    /** The port the metrics endpoint listens on, or 0 when it is off. */
    public int metricsPort() {
        MetricsEndpoint m = metrics;
        return m == null ? 0 : m.port();
    }

    /** Direct memory held by Netty's default allocator (all connection buffers). */
    private static long networkBufferBytes() {
        if (io.netty.buffer.ByteBufAllocator.DEFAULT instanceof io.netty.buffer.ByteBufAllocatorMetricProvider p) {
            return p.metric().usedDirectMemory() + p.metric().usedHeapMemory();
        }
        return io.netty.util.internal.PlatformDependent.usedDirectMemory();
    }

    /** Limits read when a connection opens, so CONFIG SET applies to new connections. */
    private RespLimits limits() {
        return new RespLimits(config.getLong("proto-max-bulk-len"), RespLimits.INLINE_MAX, Integer.MAX_VALUE,
                config.getLong("client-query-buffer-limit"));
    }

    /**
     * Periodic work on the store thread: active expiry within 25% of the period, the clients'
     * buffer peaks, idle clients once a second.
     */
    private void cron() {
        if (context.loading()) {
            return;
        }
        persistence.cron();
        long periodNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, 1000 / config.getInt("hz")));
        if (!context.clientPause().active(context.clock().nowMillis())) { // a paused dataset stays still, as in Redis
            context.expiryCycle().run(periodNanos / 4);
            context.memoryLimit().cron(context.clients());
        }
        gate.retry();
        long now = context.clock().nowMillis();
        context.stats().sample(now);
        context.clientPeaks().cron(context.clients().all(), now);
        if (now - lastClientCheck >= 1000) {
            lastClientCheck = now;
            long timeout = config.getLong("timeout") * 1000;
            if (timeout > 0) {
                context.clients().all().stream()
                        .filter(c -> now - c.lastInteractionMillis() > timeout)
                        .toList()
                        .forEach(dev.panda.command.Client::close);
            }
        }
    }

    /** Stops as SIGTERM does: a final snapshot when save rules are configured. */
    public void stop() {
        stop(null);
    }

    /**
     * Stops accepting, makes the log durable (and takes a final snapshot: always with
     * {@code save} true, never with false, when save rules exist with null), closes every
     * connection and ends the event loop. Idempotent.
     */
    public void stop(Boolean save) {
        if (!stopped.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        LOG.info("Panda is shutting down");
        if (metrics != null) {
            metrics.close();
        }
        if (cron != null) {
            cron.cancel(false);
        }
        if (plainListener != null) {
            plainListener.shutdown();
        }
        if (tlsListener != null) {
            tlsListener.shutdown();
        }
        if (!loop.isShuttingDown()) {
            loop.next().submit(() -> {
                if (context != null && !context.loading()) {
                    persistence.shutdown(save);
                }
            }).syncUninterruptibly();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        removePidFile();
        LOG.info("Panda stopped");
        terminated.countDown();
    }

    /** pidfile: the process id, written once the server listens (as Redis's createPidFile), removed at shutdown. */
    private void writePidFile() {
        String pidfile = config.get("pidfile");
        if (pidfile.isEmpty()) {
            return;
        }
        try {
            java.nio.file.Files.writeString(Path.of(pidfile), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            LOG.warn("Failed to write PID file: {}", e.getMessage());
        }
    }

    private void removePidFile() {
        String pidfile = config.get("pidfile");
        if (!pidfile.isEmpty()) {
            try {
                java.nio.file.Files.deleteIfExists(Path.of(pidfile));
            } catch (IOException e) {
                LOG.warn("Failed to remove PID file: {}", e.getMessage());
            }
        }
    }

    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
