import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for bench/scripting that redis-benchmark cannot generate: MULTI/EXEC transactions of 10
 * SETs, and pub/sub fan-out (one publisher, many subscribers). Plain sockets and RESP, the same
 * code against Panda and Redis.
 *
 * <pre>
 * java ScriptingLoad.java multi  HOST PORT CLIENTS SECONDS    -> transactions per second
 * java ScriptingLoad.java fanout HOST PORT SUBSCRIBERS SECONDS -> messages delivered per second
 * </pre>
 *
 * <p>Threads: one per client (and one per subscriber); the main thread times the run.
 */
public final class ScriptingLoad {
    static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one reply and returns its first byte (type); nested aggregates are consumed. */
    static int skipReply(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("closed");
        }
        long n = 0;
        boolean negative = false;
        int c;
        while ((c = in.read()) != '\r') {
            if (c == '-') {
                negative = true;
            } else if (c >= '0' && c <= '9') {
                n = n * 10 + (c - '0');
            }
        }
        in.read();
        if (negative) {
            n = -n;
        }
        switch (type) {
            case '$' -> {
                if (n >= 0) {
                    in.skipNBytes(n + 2);
                }
            }
            case '*', '>' -> {
                for (long i = 0; i < n; i++) {
                    skipReply(in);
                }
            }
            default -> { }
        }
        return type;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        if (mode.equals("multi")) {
            for (int t = 0; t < clients; t++) {
                int id = t;
                Socket s = new Socket(host, port);
                s.setTcpNoDelay(true);
                sockets.add(s);
                threads.add(new Thread(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                        java.io.ByteArrayOutputStream tx = new java.io.ByteArrayOutputStream();
                        tx.writeBytes(command("MULTI"));
                        for (int i = 0; i < 10; i++) {
                            tx.writeBytes(command("SET", "tx:" + id + ":" + i, "value-" + i));
                        }
                        tx.writeBytes(command("EXEC"));
                        byte[] bytes = tx.toByteArray();
                        while (!stop.get()) {
                            out.write(bytes);
                            out.flush();
                            for (int r = 0; r < 12; r++) {
                                skipReply(in);
                            }
                            count.incrementAndGet();
                        }
                    } catch (IOException e) {
                        if (!stop.get()) {
                            throw new RuntimeException(e);
                        }
                    }
                }));
            }
        } else if (mode.equals("fanout")) {
            AtomicLong ready = new AtomicLong();
            for (int t = 0; t < clients; t++) {
                Socket s = new Socket(host, port);
                sockets.add(s);
                threads.add(new Thread(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                        out.write(command("SUBSCRIBE", "fanout"));
                        out.flush();
                        skipReply(in);
                        ready.incrementAndGet();
                        while (true) {
                            skipReply(in);
                            count.incrementAndGet();
                        }
                    } catch (IOException e) {
                        if (!stop.get()) {
                            throw new RuntimeException(e);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            while (ready.get() < clients) {
                Thread.sleep(10);
            }
            Socket pub = new Socket(host, port);
            pub.setTcpNoDelay(true);
            sockets.add(pub);
            Thread publisher = new Thread(() -> {
                try {
                    OutputStream out = pub.getOutputStream();
                    InputStream in = new BufferedInputStream(pub.getInputStream(), 1 << 16);
                    byte[] batch;
                    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                    for (int i = 0; i < 16; i++) {
                        b.writeBytes(command("PUBLISH", "fanout", "message-payload-of-32-bytes-xxxx"));
                    }
                    batch = b.toByteArray();
                    while (!stop.get()) {
                        out.write(batch);
                        out.flush();
                        for (int i = 0; i < 16; i++) {
                            skipReply(in);
                        }
                    }
                } catch (IOException e) {
                    if (!stop.get()) {
                        throw new RuntimeException(e);
                    }
                }
            });
            threads.add(publisher);
            long before = count.get();
            long start = System.nanoTime();
            publisher.start();
            Thread.sleep(seconds * 1000L);
            long delivered = count.get() - before;
            double elapsed = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            for (Socket s : sockets) {
                s.close();
            }
            System.out.printf("%.0f%n", delivered / elapsed);
            return;
        } else {
            throw new IllegalArgumentException("mode: multi | fanout");
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        long done = count.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Socket s : sockets) {
            s.close();
        }
        System.out.printf("%.0f%n", done / elapsed);
    }
}
