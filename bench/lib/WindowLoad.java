import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A GET or HSET load with latency measured over a window, for bench/durability (scenarios 4 and
 * 5). Like redis-benchmark -t get -c CLIENTS -r KEYS: CLIENTS connections on one thread, each
 * with one request in flight, random keys key:%012d below KEYS. Unlike it, every request's send
 * time and latency are kept, so the figures can be taken over exactly the window that matters:
 * from sending BGSAVE until INFO reports rdb_bgsave_in_progress:0 (mode bgsave), or a window of
 * the same place and a given length without a snapshot (mode ref).
 *
 * <pre>java WindowLoad.java HOST PORT CLIENTS KEYS bgsave|ref LEAD_S WINDOW_S TAIL_S TIMEOUT_S [get|hset:FIELDS]</pre>
 * LEAD_S of load before the window; WINDOW_S its length in mode ref (ignored for bgsave); TAIL_S
 * of load after it. The command is GET key (the default), or with hset:FIELDS
 * {@code HSET key field:%03d v%09d}: a random one of the FIELDS fields the hashes were loaded
 * with, overwritten with a new 10-byte value, so the data set keeps its size.
 *
 * <p>One more connection, the probe, sends the same kind of request 1 ms after each reply it
 * gets: what a client that does not saturate the server sees next to the load.
 *
 * <p>Prints one line, latencies in ms over the requests sent in the window:
 * {@code requests p50 p99 p99.9 max rps window_s errors probe_requests probe_p99 probe_p99.9 probe_max},
 * and exits 1 on a failure (message on stderr).
 *
 * <p>Threads: the load runs on the main thread (a selector); the window (BGSAVE, INFO polling,
 * timing) on a control thread with its own connection.
 */
public final class WindowLoad {
    private static volatile boolean stop;
    private static volatile long windowStart;
    private static volatile long windowEnd;
    private static volatile String failure;

    public static void main(String[] args) throws Exception {
        if (args.length != 9 && args.length != 10) {
            System.err.println("usage: java WindowLoad.java HOST PORT CLIENTS KEYS bgsave|ref LEAD_S WINDOW_S TAIL_S TIMEOUT_S [get|hset:FIELDS]");
            System.exit(2);
        }
        String kind = args.length == 10 ? args[9] : "get";
        int fields = 0;
        if (kind.startsWith("hset:")) {
            fields = Integer.parseInt(kind.substring(5));
            if (fields < 1 || fields > 1000) {
                System.err.println("WindowLoad: hset:FIELDS takes 1 to 1000 fields");
                System.exit(2);
            }
        } else if (!kind.equals("get")) {
            System.err.println("WindowLoad: unknown command kind " + kind + " (get, hset:FIELDS)");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int keys = Integer.parseInt(args[3]);
        boolean bgsave = args[4].equals("bgsave");
        long lead = seconds(args[5]);
        long window = seconds(args[6]);
        long tail = seconds(args[7]);
        long timeout = seconds(args[8]);

        Selector selector = Selector.open();
        Conn[] conns = new Conn[clients];
        for (int i = 0; i < clients; i++) {
            conns[i] = Conn.open(selector, host, port, fields);
        }
        Conn probe = Conn.open(selector, host, port, fields);
        Samples load = new Samples();
        Samples probed = new Samples();
        long probeNextAt = System.nanoTime();
        boolean probeWaiting = true; // for its next send time, no GET in flight
        Thread control = new Thread(() -> control(host, port, bgsave, lead, window, tail, timeout), "control");
        control.setDaemon(true);
        long errors = 0;
        SplittableRandom random = new SplittableRandom(42);
        for (Conn c : conns) {
            c.send(random.nextInt(keys), random);
        }
        control.start();
        while (!stop) {
            if (probeWaiting && System.nanoTime() - probeNextAt >= 0) {
                probe.send(random.nextInt(keys), random);
                probeWaiting = false;
            }
            selector.select(1);
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                int replies = c.read();
                if (replies < 0) {
                    fail("the server closed a connection");
                    break;
                }
                if (replies == 0) {
                    continue;
                }
                long now = System.nanoTime();
                (c == probe ? probed : load).add(c.sentAt, now);
                errors += c.errors;
                c.errors = 0;
                if (c == probe) {
                    probeNextAt = now + 1_000_000;
                    probeWaiting = true;
                } else {
                    c.send(random.nextInt(keys), random);
                }
            }
            selector.selectedKeys().clear();
        }
        control.join(1000);
        if (failure != null) {
            System.err.println("WindowLoad: " + failure);
            System.exit(1);
        }
        long[] in = load.inWindow();
        long[] pr = probed.inWindow();
        if (in.length == 0 || pr.length == 0) {
            System.err.println("WindowLoad: no request in the window (" + load.n + " in all)");
            System.exit(1);
        }
        double secs = (windowEnd - windowStart) / 1e9;
        System.out.printf("%d %.3f %.3f %.3f %.3f %.0f %.3f %d %d %.3f %.3f %.3f%n", in.length, ms(pct(in, 0.50)),
                ms(pct(in, 0.99)), ms(pct(in, 0.999)), ms(in[in.length - 1]), in.length / secs, secs, errors,
                pr.length, ms(pct(pr, 0.99)), ms(pct(pr, 0.999)), ms(pr[pr.length - 1]));
    }

    /** Every request's send time and latency (main thread). */
    private static final class Samples {
        long[] sent = new long[1 << 16];
        long[] took = new long[1 << 16];
        int n;

        void add(long sentAt, long now) {
            if (n == sent.length) {
                sent = Arrays.copyOf(sent, n * 2);
                took = Arrays.copyOf(took, n * 2);
            }
            sent[n] = sentAt;
            took[n] = now - sentAt;
            n++;
        }

        /** The latencies of the requests sent in the window, sorted. */
        long[] inWindow() {
            long[] in = new long[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (sent[i] >= windowStart && sent[i] < windowEnd) {
                    in[m++] = took[i];
                }
            }
            in = Arrays.copyOf(in, m);
            Arrays.sort(in);
            return in;
        }
    }

    private static long seconds(String s) {
        return (long) (Double.parseDouble(s) * 1e9);
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        stop = true;
    }

    /** The control thread: lead, the window (BGSAVE until done, or a fixed length), tail. */
    private static void control(String host, int port, boolean bgsave, long lead, long window, long tail, long timeout) {
        try (Socket s = new Socket(host, port)) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            sleepNanos(lead);
            windowStart = System.nanoTime();
            if (bgsave) {
                String reply = call(in, out, "BGSAVE");
                if (!reply.equals("Background saving started")) {
                    fail("BGSAVE answered " + reply);
                    return;
                }
                while (!call(in, out, "INFO", "persistence").contains("rdb_bgsave_in_progress:0")) {
                    if (System.nanoTime() - windowStart > timeout) {
                        fail("the BGSAVE did not finish in time");
                        return;
                    }
                    sleepNanos(20_000_000);
                }
                windowEnd = System.nanoTime();
                if (!call(in, out, "INFO", "persistence").contains("rdb_last_bgsave_status:ok")) {
                    fail("rdb_last_bgsave_status is not ok after the BGSAVE");
                    return;
                }
            } else {
                sleepNanos(window);
                windowEnd = System.nanoTime();
            }
            sleepNanos(tail);
        } catch (IOException | RuntimeException e) {
            fail("control connection: " + e);
        } finally {
            stop = true;
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One command on a blocking connection; a simple string, bulk string or error as text. */
    private static String call(InputStream in, OutputStream out, String... argv) throws IOException {
        out.write(command(argv));
        out.flush();
        String line = line(in);
        switch (line.charAt(0)) {
            case '+':
            case '-':
                return line.substring(1);
            case '$': {
                int len = Integer.parseInt(line.substring(1));
                byte[] body = in.readNBytes(len + 2);
                return new String(body, 0, len, StandardCharsets.UTF_8);
            }
            default:
                throw new IOException("unexpected reply " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static byte[] command(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One load connection: a request in flight, and the reply being parsed. */
    private static final class Conn {
        private static final String KEY = "$16\r\nkey:000000000000\r\n";
        final byte[] request;
        final int keyDigitsEnd;
        final int fieldDigitsEnd;  // 0 for GET
        final int valueDigitsEnd;
        final int fields;
        final SocketChannel ch;
        final ByteBuffer out = ByteBuffer.allocateDirect(128);
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        long sentAt;
        long errors;
        long sent;

        Conn(SocketChannel ch, int fields) {
            this.ch = ch;
            this.fields = fields;
            String head = fields == 0 ? "*2\r\n$3\r\nGET\r\n" : "*4\r\n$4\r\nHSET\r\n";
            String text = head + KEY;
            keyDigitsEnd = text.length() - 2;
            if (fields == 0) {
                fieldDigitsEnd = 0;
                valueDigitsEnd = 0;
            } else {
                text += "$9\r\nfield:000\r\n";
                fieldDigitsEnd = text.length() - 2;
                text += "$10\r\nv000000000\r\n";
                valueDigitsEnd = text.length() - 2;
            }
            request = text.getBytes(StandardCharsets.US_ASCII);
        }

        /** A new non-blocking connection, registered for reads; fields 0 sends GETs. */
        static Conn open(Selector selector, String host, int port, int fields) throws IOException {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Conn c = new Conn(ch, fields);
            ch.register(selector, SelectionKey.OP_READ, c);
            return c;
        }

        void send(int key, SplittableRandom random) throws IOException {
            digits(keyDigitsEnd, 12, key);
            if (fields > 0) {
                digits(fieldDigitsEnd, 3, random.nextInt(fields));
                digits(valueDigitsEnd, 9, (int) (++sent % 1_000_000_000));
            }
            out.clear();
            out.put(request);
            out.flip();
            sentAt = System.nanoTime();
            while (out.hasRemaining()) {
                ch.write(out);
            }
        }

        private void digits(int end, int count, int n) {
            for (int i = end - 1; i >= end - count; i--, n /= 10) {
                request[i] = (byte) ('0' + n % 10);
            }
        }

        /** Reads what arrived; 1 when the reply is complete, 0 when not yet, -1 at end of stream. */
        int read() throws IOException {
            if (ch.read(in) < 0) {
                return -1;
            }
            int end = complete(in);
            if (end < 0) {
                return 0;
            }
            if (in.get(0) == '-') {
                errors++;
            }
            in.flip();
            in.position(end);
            in.compact(); // keeps anything after the reply (nothing, with one GET in flight)
            return 1;
        }

        /** The position after the first complete reply in buf[0, position), or -1. */
        private static int complete(ByteBuffer buf) {
            int limit = buf.position();
            int eol = -1;
            for (int i = 1; i < limit; i++) {
                if (buf.get(i) == '\n') {
                    eol = i;
                    break;
                }
            }
            if (eol < 0) {
                return -1;
            }
            if (buf.get(0) != '$') {
                return eol + 1;
            }
            int len = 0;
            boolean negative = false;
            for (int i = 1; i < eol - 1; i++) {
                byte c = buf.get(i);
                if (c == '-') {
                    negative = true;
                } else {
                    len = len * 10 + (c - '0');
                }
            }
            if (negative) {
                return eol + 1; // null bulk
            }
            int end = eol + 1 + len + 2;
            return end <= limit ? end : -1;
        }
    }
}
