package dev.panda.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, that a test can make fail the way a
 * network or a server fails: {@link #kill()} drops every connection and refuses new ones (a
 * crashed server), {@link #silence()} accepts and reads but never answers (a hung server or a
 * black-holed network), {@link #killAfterUpstreamBytes} kills it in the middle of an upload.
 * {@link #restore()} forwards again on the same port. Its own accept and pump threads.
 */
final class TcpFaultProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private volatile long killAt = Long.MAX_VALUE;
    private volatile boolean silent;
    private volatile ServerSocket listener;

    TcpFaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listen(0);
        this.port = listener.getLocalPort();
    }

    int port() {
        return port;
    }

    private void listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
        listener = s;
        Thread t = new Thread(() -> accept(s), "fault-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                open.add(client);
                if (silent) {
                    pump(client.getInputStream(), OutputStream.nullOutputStream(), false);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(server);
                pump(client.getInputStream(), server.getOutputStream(), true);
                pump(server.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                // listener closed (kill), or the target refused: the client sees its socket closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (silent) {
                        continue; // swallow: the other side waits for an answer that never comes
                    }
                    out.write(buf, 0, n);
                    if (upstream && upstreamBytes.addAndGet(n) >= killAt) {
                        kill();
                        return;
                    }
                }
            } catch (IOException e) {
                // a side closed
            }
            closeAll();
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Drops every connection and refuses new ones, as a crashed server. */
    synchronized void kill() {
        killAt = Long.MAX_VALUE;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        closeAll();
    }

    private void closeAll() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
            open.remove(s);
        }
    }

    /** Accepts and reads, never answers (existing connections go quiet too). */
    void silence() {
        silent = true;
    }

    /** Kills the proxy once {@code bytes} more bytes have gone towards the server. */
    void killAfterUpstreamBytes(long bytes) {
        killAt = upstreamBytes.get() + bytes;
    }

    /** Total bytes forwarded towards the server. */
    long upstreamBytes() {
        return upstreamBytes.get();
    }

    /** Forwards again, on the same port. */
    synchronized void restore() throws IOException {
        silent = false;
        closeAll();
        if (listener.isClosed()) {
            listen(port);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
