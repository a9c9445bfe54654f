package dev.panda.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw RESP connection for tests: sends commands (or arbitrary bytes) and returns each reply
 * exactly as the server wrote it, so assertions compare bytes, not a client library's reading
 * of them. Test thread only.
 */
final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Over a socket already connected (a TLS socket, say). */
    RespConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** Like {@link #encode(String...)}, for arguments that are arbitrary bytes. */
    static byte[] encodeBinary(byte[]... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** Sends one command and returns its raw reply. */
    String call(String... args) throws IOException {
        send(encode(args));
        return readReply();
    }

    /** Sends one command with binary arguments and returns its raw reply. */
    String callBinary(byte[]... args) throws IOException {
        send(encodeBinary(args));
        return readReply();
    }

    /**
     * Sends one command and returns its bulk reply's bytes untouched (a text reply would decode
     * them as UTF-8), or null for a nil bulk; any other reply is an IOException carrying it.
     */
    byte[] callForBulk(String... args) throws IOException {
        send(encode(args));
        return readBulk(String.join(" ", args));
    }

    /** As {@link #callForBulk}, with binary arguments. */
    byte[] callBinaryForBulk(byte[]... args) throws IOException {
        send(encodeBinary(args));
        return readBulk(new String(args[0], StandardCharsets.UTF_8));
    }

    private byte[] readBulk(String command) throws IOException {
        String line = readLine();
        if (line.charAt(0) != '$') {
            throw new IOException("expected a bulk reply to " + command + ", got: " + line);
        }
        int n = Integer.parseInt(line.substring(1));
        if (n < 0) {
            return null;
        }
        byte[] data = in.readNBytes(n);
        byte[] crlf = in.readNBytes(2);
        if (data.length != n || crlf.length != 2 || crlf[0] != '\r' || crlf[1] != '\n') {
            throw new IOException("truncated bulk reply to " + command);
        }
        return data;
    }

    /** This end's port: the server shows the client as 127.0.0.1:<localPort>. */
    int localPort() {
        return socket.getLocalPort();
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads exactly one complete reply (nested aggregates included) as text. */
    String readReply() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readInto(reply);
        return reply.toString(StandardCharsets.UTF_8);
    }

    private void readInto(ByteArrayOutputStream reply) throws IOException {
        String line = readLine();
        reply.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    reply.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readInto(reply);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readInto(reply);
                }
            }
            default -> { }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by server after: " + line.toString(StandardCharsets.UTF_8));
            }
            if (prev == '\r' && c == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            prev = c;
        }
    }

    /** True once the server has closed the connection (reads end of stream within the timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // Expected replies, spelled as RESP.
    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";

    static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    static String integer(long n) {
        return ":" + n + "\r\n";
    }

    static String error(String message) {
        return "-" + message + "\r\n";
    }

    static String simple(String s) {
        return "+" + s + "\r\n";
    }

    static String array(String... items) {
        return "*" + items.length + "\r\n" + String.join("", items);
    }
}
