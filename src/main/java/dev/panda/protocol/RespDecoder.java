package dev.panda.protocol;

import dev.panda.config.ArgumentSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns request bytes into commands ({@code byte[][]}: name and arguments), accepting both
 * RESP multibulk requests and inline commands (telnet, {@code PING_INLINE}).
 *
 * <p>Why not netty-codec-redis's {@code RedisDecoder}: it emits one message object per
 * argument that two aggregators then reassemble, its inline mode splits on spaces without
 * Redis's quoting rules, and its errors are not Redis's {@code Protocol error} texts. This
 * decoder produces the argument array directly and keeps its state across reads, so a
 * partially received command is never re-parsed from its start.
 *
 * <p>Memory stays bounded: a declared length allocates nothing until the bytes arrive, and the
 * bytes a client has buffered (received plus already decoded arguments of an incomplete
 * command) are capped by the query buffer limit. While the connection's output is above its
 * high water mark, no further command is handed over (the handler resumes decoding).
 *
 * <p>Netty event loop of the connection; one instance per connection.
 */
public final class RespDecoder extends ByteToMessageDecoder {
    private static final int ARGUMENT_OVERHEAD = 32;

    private final RespLimits limits;
    /** Arguments of the multibulk command being read, or null between commands. */
    private byte[][] argv;
    private int argc;
    private int expectedArgs;
    private long pendingBytes;
    private long bulkLength = -1;
    private boolean failed;
    private long bytesReceived;
    /** The most input held since {@link #takeQueryBufferPeak} last asked (Redis's querybuf_peak). */
    private long queryBufferPeak;

    public RespDecoder(RespLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            int incoming = buf.readableBytes();
            bytesReceived += incoming;
            // Once per read, never per command. An argument being read counts whole: it is copied
            // out as one array once complete (Redis, too, sizes its query buffer for a big one).
            long held = pendingBytes + Math.max(actualReadableBytes() + incoming, bulkLength);
            if (held > queryBufferPeak) {
                queryBufferPeak = held;
            }
        }
        super.channelRead(ctx, msg);
    }

    /** Received bytes not yet read as commands (CLIENT LIST qbuf). */
    public long queryBufferBytes() {
        return actualReadableBytes();
    }

    /** Room left in the query buffer before it must grow (CLIENT LIST qbuf-free). */
    public long queryBufferFree() {
        ByteBuf b = internalBuffer();
        return b == null ? 0 : b.writableBytes();
    }

    /**
     * The most bytes this connection's input held (received and not yet run, the arguments of
     * an incomplete command included) since the last call, which starts the next period.
     */
    public long takeQueryBufferPeak() {
        long peak = queryBufferPeak;
        queryBufferPeak = 0;
        return peak;
    }

    /** Bytes received on this connection so far (INFO total_net_input_bytes). */
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (!ctx.channel().isWritable()) {
                // The client is not reading its replies: hold further commands back, but still
                // within the query buffer limit.
                checkQueryBufferLimit(in);
                return;
            }
            byte[][] command = argv == null ? startCommand(in) : continueMultibulk(in);
            if (command != null) {
                out.add(command);
            } else {
                checkQueryBufferLimit(in);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            argv = null;
            out.add(e);
        }
    }

    private void checkQueryBufferLimit(ByteBuf in) {
        if (pendingBytes + in.readableBytes() > limits.queryBufferLimit()) {
            throw new ProtocolException("query buffer limit exceeded");
        }
    }

    private byte[][] startCommand(ByteBuf in) {
        while (in.isReadable()) {
            if (in.getByte(in.readerIndex()) != '*') {
                byte[][] inline = readInline(in);
                if (inline == null || inline.length > 0) {
                    return inline;
                }
                continue; // blank line: nothing to run
            }
            int eol = findLineEnd(in, limits.maxInlineLength(), "too big mbulk count string");
            if (eol < 0) {
                return null;
            }
            long count = parseLong(in, in.readerIndex() + 1, eol, "invalid multibulk length");
            in.readerIndex(eol + 2);
            if (count > limits.maxArguments()) {
                throw new ProtocolException("invalid multibulk length");
            }
            if (count <= 0) {
                continue;
            }
            expectedArgs = (int) count;
            argv = new byte[(int) Math.min(count, 64)][];
            argc = 0;
            pendingBytes = 0;
            return continueMultibulk(in);
        }
        return null;
    }

    private byte[][] continueMultibulk(ByteBuf in) {
        while (argc < expectedArgs) {
            if (bulkLength < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                byte first = in.getByte(in.readerIndex());
                if (first != '$') {
                    throw new ProtocolException("expected '$', got '" + (char) (first & 0xff) + "'");
                }
                int eol = findLineEnd(in, limits.maxInlineLength(), "too big bulk count string");
                if (eol < 0) {
                    return null;
                }
                long length = parseLong(in, in.readerIndex() + 1, eol, "invalid bulk length");
                if (length < 0 || length > limits.maxBulkLength()) {
                    throw new ProtocolException("invalid bulk length");
                }
                in.readerIndex(eol + 2);
                bulkLength = length;
            }
            if (in.readableBytes() < bulkLength + 2) {
                return null;
            }
            byte[] arg = new byte[(int) bulkLength];
            in.readBytes(arg);
            in.skipBytes(2);
            if (argc == argv.length) {
                argv = Arrays.copyOf(argv, (int) Math.min((long) argc * 2, expectedArgs));
            }
            argv[argc++] = arg;
            pendingBytes += bulkLength + ARGUMENT_OVERHEAD;
            bulkLength = -1;
        }
        byte[][] command = argv;
        argv = null;
        pendingBytes = 0;
        return command;
    }

    /** Index of the '\r' (or '\n' for a bare LF) ending the line at the reader index, or -1. */
    private static int findLineEnd(ByteBuf in, int maxLength, String tooBig) {
        int start = in.readerIndex();
        int searchable = Math.min(in.readableBytes(), maxLength + 2);
        int lf = in.forEachByte(start, searchable, ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (in.readableBytes() > maxLength) {
                throw new ProtocolException(tooBig);
            }
            return -1;
        }
        if (lf == start || in.getByte(lf - 1) != '\r') {
            throw new ProtocolException(tooBig.startsWith("too big mbulk") ? "invalid multibulk length" : "invalid bulk length");
        }
        return lf - 1;
    }

    private static long parseLong(ByteBuf in, int from, int to, String error) {
        if (from >= to || to - from > 19) {
            throw new ProtocolException(error);
        }
        boolean negative = in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            throw new ProtocolException(error);
        }
        long value = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10) { // not a digit, or overflow
                throw new ProtocolException(error);
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** Reads one inline command line; null if the line is incomplete, empty array for a blank line. */
    private byte[][] readInline(ByteBuf in) {
        int start = in.readerIndex();
        int searchable = Math.min(in.readableBytes(), limits.maxInlineLength() + 2);
        int lf = in.forEachByte(start, searchable, ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (in.readableBytes() > limits.maxInlineLength()) {
                throw new ProtocolException("too big inline request");
            }
            return null;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        List<byte[]> args = ArgumentSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("unbalanced quotes in request");
        }
        return args.toArray(new byte[0][]);
    }

    /** The text Redis sends before closing a connection for this error. */
    public static byte[] errorReply(ProtocolException e) {
        return ("-ERR Protocol error: " + e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
