package dev.panda.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets of one port (the plain-text {@code port} or {@code tls-port}), one per
 * bind address. They accept on a thread of their own and hand each connection to the store's
 * event loop, so that CONFIG SET, which runs on the store thread, can open and close them and
 * wait for the outcome (waiting for a bind on the store's own loop would deadlock). Connections
 * already accepted stay open when the listener moves or closes, as in Redis.
 *
 * <p>{@link #listen} and {@link #close} run on the main thread (start, stop) or the store thread
 * (CONFIG SET port, bind, tls-port); they block only on the accept thread.
 */
final class PortListener {
    private static final Logger LOG = LoggerFactory.getLogger(PortListener.class);

    private final ServerBootstrap bootstrap;
    private final EventLoopGroup storeLoop;
    private final IoHandlerFactory ioFactory;
    private final String threadName;
    private EventLoopGroup acceptor;
    private List<Channel> channels = List.of();
    private int port;
    private String bind = "";

    /** {@code bootstrap}: options and the pipeline as child handler, no groups yet. */
    PortListener(ServerBootstrap bootstrap, EventLoopGroup storeLoop, IoHandlerFactory ioFactory, String threadName) {
        this.bootstrap = bootstrap;
        this.storeLoop = storeLoop;
        this.ioFactory = ioFactory;
        this.threadName = threadName;
    }

    /** The port listened on, 0 when closed. */
    synchronized int port() {
        return port;
    }

    /**
     * Listens on {@code wanted} (0: any free port) on every address of {@code bind}, then closes
     * the previous sockets; on failure closes what it opened, keeps the previous sockets and throws.
     */
    synchronized void listen(String bind, int wanted) throws InterruptedException {
        if (acceptor == null) {
            acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName), ioFactory);
        }
        List<Channel> opened = new ArrayList<>();
        int bound = wanted;
        try {
            for (String address : bind.trim().split("\\s+")) {
                String host = address.startsWith("-") ? address.substring(1) : address;
                Channel ch = bootstrap.clone().group(acceptor, storeLoop)
                        .bind(new InetSocketAddress(host, bound)).sync().channel();
                opened.add(ch);
                bound = ((InetSocketAddress) ch.localAddress()).getPort();
            }
        } catch (Exception e) {
            opened.forEach(ch -> ch.close().syncUninterruptibly());
            LOG.warn("Could not create server TCP listening socket {}:{}: {}", bind, wanted, e.toString());
            throw e;
        }
        List<Channel> previous = channels;
        channels = opened;
        port = bound;
        this.bind = bind;
        previous.forEach(ch -> ch.close().syncUninterruptibly());
    }

    /**
     * Moves to other addresses or another port, as Redis's changeBindAddr: the old sockets close
     * first (the new ones may share an address and port with them); if the new ones cannot be
     * opened, the old ones are opened again and the error is thrown.
     */
    synchronized void move(String newBind, int wanted) throws Exception {
        String oldBind = bind;
        int oldPort = port;
        close();
        try {
            listen(newBind, wanted);
        } catch (Exception e) { // a failed bind is a checked exception that Netty's sync() throws unchecked
            if (oldPort != 0) {
                try {
                    listen(oldBind, oldPort);
                } catch (Exception again) {
                    LOG.warn("Could not listen again on {}:{}: {}", oldBind, oldPort, again.toString());
                }
            }
            throw e;
        }
    }

    /** Stops listening; connections already accepted go on. */
    synchronized void close() {
        channels.forEach(ch -> ch.close().syncUninterruptibly());
        channels = List.of();
        port = 0;
    }

    /** Closes the sockets and ends the accept thread. */
    synchronized void shutdown() {
        close();
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            acceptor = null;
        }
    }
}
