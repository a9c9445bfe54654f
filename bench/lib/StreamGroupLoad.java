import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer group draining a stream, as a worker pool does: each client loops XREADGROUP GROUP g
 * c<i> COUNT 1 STREAMS bench:group > and XACKs the entry it got, until the stream is drained.
 * Prints the pairs (read + ack) per second. Usage: java StreamGroupLoad.java PORT [ENTRIES]
 * [CLIENTS]. Talks to 127.0.0.1 only; plain RESP over blocking sockets, one thread per client.
 */
public final class StreamGroupLoad {
    private static final String KEY = "bench:group";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        try (Conn setup = new Conn(port)) {
            setup.call("DEL", KEY);
            setup.call("XGROUP", "CREATE", KEY, "g", "$", "MKSTREAM");
            for (int done = 0; done < entries; ) { // pipelined fill
                int batch = Math.min(1000, entries - done);
                for (int i = 0; i < batch; i++) {
                    setup.send("XADD", KEY, "*", "field", "value" + (done + i));
                }
                setup.flush();
                for (int i = 0; i < batch; i++) {
                    setup.read();
                }
                done += batch;
            }
        }
        AtomicLong pairs = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            String consumer = "c" + t;
            Thread thread = new Thread(() -> {
                try (Conn c = new Conn(port)) {
                    while (true) {
                        Object reply = c.call("XREADGROUP", "GROUP", "g", consumer, "COUNT", "1", "STREAMS", KEY, ">");
                        if (reply == null) {
                            return; // drained
                        }
                        String id = (String) ((List<?>) ((List<?>) ((List<?>) ((List<?>) reply).get(0)).get(1)).get(0)).get(0);
                        Object acked = c.call("XACK", KEY, "g", id);
                        if (!Long.valueOf(1).equals(acked)) {
                            throw new IllegalStateException("XACK " + id + " answered " + acked);
                        }
                        pairs.incrementAndGet();
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty() || pairs.get() != entries) {
            throw new IllegalStateException("acknowledged " + pairs.get() + " of " + entries + ": " + failures);
        }
        System.out.printf("%.2f%n", pairs.get() / seconds);
    }

    /** One RESP2 connection. */
    private static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        }

        Object call(String... args) throws IOException {
            send(args);
            flush();
            return read();
        }

        void send(String... args) throws IOException {
            out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.write('\r');
                out.write('\n');
            }
        }

        void flush() throws IOException {
            out.flush();
        }

        Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("error reply: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = in.readNBytes(n + 2);
                    return new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected reply type " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != '\r') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                sb.append((char) b);
            }
            in.read();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
