import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A cache-aside load with Zipf-distributed keys, for bench/eviction's hit-ratio scenario: GET key;
 * on a miss, SET key value. Against a server with maxmemory below the key space's size, the share
 * of GETs that hit says how well the eviction policy keeps the hot keys.
 *
 * <pre>java ZipfLoad.java HOST PORT KEYS VALUE_SIZE OPS WARMUP S SEED BATCH TIMEOUT_S</pre>
 *
 * Keys are {@code key:%012d} for KEYS keys; the rank of each key in the Zipf(S) distribution
 * (weight 1/rank^S) is a seeded shuffle, so hot keys are spread over the key space. One connection,
 * pipelined: a batch of BATCH GETs is sent, their replies read, then one SET (VALUE_SIZE bytes: the
 * key's number and seeded filler) for each distinct key of the batch that missed, and their replies
 * read. The same SEED gives the same sequence of keys on every server. WARMUP GETs (with their
 * SETs) run first and are not counted; then OPS GETs are counted.
 *
 * <p>Hits and misses are counted from the replies (a bulk string is a hit, a null bulk a miss).
 * INFO stats' keyspace_hits and keyspace_misses are read before and after the counted GETs, as a
 * cross-check of the server's own figures (SETs do not change them).
 *
 * <p>Prints one line:
 * {@code gets hits misses sets hit_ratio info_hits info_misses seconds gets_per_s errors}
 * (info_* are -1 when INFO does not have them; errors counts error replies, an OOM refusal of a SET
 * say) and exits 1 on a failure (message on stderr).
 */
public final class ZipfLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 10) {
            System.err.println("usage: java ZipfLoad.java HOST PORT KEYS VALUE_SIZE OPS WARMUP S SEED BATCH TIMEOUT_S");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int keys = Integer.parseInt(args[2]);
        int valueSize = Integer.parseInt(args[3]);
        long ops = Long.parseLong(args[4]);
        long warmup = Long.parseLong(args[5]);
        double s = Double.parseDouble(args[6]);
        long seed = Long.parseLong(args[7]);
        int batch = Integer.parseInt(args[8]);
        long timeoutS = Long.parseLong(args[9]);
        if (keys < 1 || valueSize < 12 || ops < 1 || warmup < 0 || s <= 0 || batch < 1 || timeoutS < 1) {
            System.err.println("ZipfLoad: KEYS, OPS, BATCH, TIMEOUT_S must be positive, VALUE_SIZE >= 12, WARMUP >= 0, S > 0");
            System.exit(2);
        }
        try {
            new ZipfLoad(host, port, keys, valueSize, s, seed, batch, System.nanoTime() + timeoutS * 1_000_000_000L)
                    .run(warmup, ops);
        } catch (Exception e) {
            System.err.println("ZipfLoad: " + e);
            System.exit(1);
        }
    }

    private final int keys;
    private final int valueSize;
    private final int batch;
    private final long deadline;
    private final double[] cdf;   // cdf[i]: the weight of ranks 0..i
    private final int[] keyOfRank;
    private final SplittableRandom random;
    private final byte[] filler;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long errors;

    private ZipfLoad(String host, int port, int keys, int valueSize, double s, long seed, int batch, long deadline)
            throws IOException {
        this.keys = keys;
        this.valueSize = valueSize;
        this.batch = batch;
        this.deadline = deadline;
        cdf = new double[keys];
        double sum = 0;
        for (int i = 0; i < keys; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
        keyOfRank = new int[keys];
        for (int i = 0; i < keys; i++) {
            keyOfRank[i] = i;
        }
        for (int i = keys - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = keyOfRank[i];
            keyOfRank[i] = keyOfRank[j];
            keyOfRank[j] = t;
        }
        random = new SplittableRandom(seed);
        filler = new byte[valueSize];
        SplittableRandom fill = new SplittableRandom(seed + 1);
        for (int i = 0; i < valueSize; i++) {
            filler[i] = (byte) ('a' + fill.nextInt(26));
        }
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    private int nextKey() {
        double u = random.nextDouble() * cdf[keys - 1];
        int lo = 0;
        int hi = keys - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return keyOfRank[lo];
    }

    private void run(long warmup, long ops) throws IOException {
        long[] counts = new long[3]; // gets, hits, sets
        phase(warmup, counts);
        long[] before = infoHitsMisses();
        long start = System.nanoTime();
        counts = new long[3];
        phase(ops, counts);
        long elapsed = System.nanoTime() - start;
        long[] after = infoHitsMisses();
        long infoHits = before[0] < 0 || after[0] < 0 ? -1 : after[0] - before[0];
        long infoMisses = before[1] < 0 || after[1] < 0 ? -1 : after[1] - before[1];
        double seconds = elapsed / 1e9;
        System.out.println(String.format(Locale.ROOT, "%d %d %d %d %.4f %d %d %.3f %.0f %d", counts[0], counts[1],
                counts[0] - counts[1], counts[2], (double) counts[1] / counts[0], infoHits, infoMisses, seconds,
                counts[0] / seconds, errors));
        socket.close();
    }

    /** {@code gets} GETs in batches, with a SET for each distinct key that missed in its batch. */
    private void phase(long gets, long[] counts) throws IOException {
        int[] batchKeys = new int[batch];
        int[] missed = new int[batch];
        Set<Integer> setInBatch = new HashSet<>();
        long done = 0;
        while (done < gets) {
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + done + " GETs of " + gets);
            }
            int n = (int) Math.min(batch, gets - done);
            for (int i = 0; i < n; i++) {
                batchKeys[i] = nextKey();
                writeCommand("GET", key(batchKeys[i]), null);
            }
            out.flush();
            int misses = 0;
            for (int i = 0; i < n; i++) {
                if (readReply()) {
                    counts[1]++;
                } else {
                    missed[misses++] = batchKeys[i];
                }
            }
            setInBatch.clear();
            int sets = 0;
            for (int i = 0; i < misses; i++) {
                if (setInBatch.add(missed[i])) {
                    writeCommand("SET", key(missed[i]), value(missed[i]));
                    sets++;
                }
            }
            out.flush();
            for (int i = 0; i < sets; i++) {
                readReply();
            }
            counts[0] += n;
            counts[2] += sets;
            done += n;
        }
    }

    private static byte[] key(int k) {
        return String.format(Locale.ROOT, "key:%012d", k).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] value(int k) {
        byte[] v = filler.clone();
        byte[] digits = String.format(Locale.ROOT, "%010d:", k).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, v, 0, digits.length);
        return v;
    }

    private void writeCommand(String name, byte[] key, byte[] value) throws IOException {
        byte[] cmd = name.getBytes(StandardCharsets.US_ASCII);
        writeAscii(value == null ? "*2\r\n$" : "*3\r\n$");
        writeAscii(cmd.length + "\r\n");
        out.write(cmd);
        writeAscii("\r\n$" + key.length + "\r\n");
        out.write(key);
        writeAscii("\r\n");
        if (value != null) {
            writeAscii("$" + value.length + "\r\n");
            out.write(value);
            writeAscii("\r\n");
        }
    }

    private void writeAscii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one reply; true for a bulk string (a GET hit) or a status, false for a null bulk or an error. */
    private boolean readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed by the server");
        }
        String line = readLine();
        switch (type) {
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return false;
                }
                skip(len + 2L);
                return true;
            }
            case '+', ':' -> {
                return true;
            }
            case '-' -> {
                if (errors++ == 0) {
                    System.err.println("ZipfLoad: first error reply: -" + line);
                }
                return false;
            }
            case '_' -> {
                return false;
            }
            default -> throw new IOException("unexpected reply type '" + (char) type + "' " + line);
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("bad line ending");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed by the server");
                }
                k = 1;
            }
            n -= k;
        }
    }

    /** INFO stats' keyspace_hits and keyspace_misses, -1 for a field the reply lacks. */
    private long[] infoHitsMisses() throws IOException {
        writeAscii("*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n");
        out.flush();
        int type = in.read();
        String line = readLine();
        if (type != '$') {
            throw new IOException("INFO stats: unexpected reply " + (char) type + line);
        }
        byte[] body = in.readNBytes(Integer.parseInt(line) + 2);
        long[] result = {-1, -1};
        for (String l : new String(body, StandardCharsets.UTF_8).split("\r\n")) {
            if (l.startsWith("keyspace_hits:")) {
                result[0] = Long.parseLong(l.substring(14).trim());
            } else if (l.startsWith("keyspace_misses:")) {
                result[1] = Long.parseLong(l.substring(16).trim());
            }
        }
        return result;
    }
}
