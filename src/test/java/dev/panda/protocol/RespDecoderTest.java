package dev.panda.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RespDecoderTest {
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        // The decoder owns what it is given: every buffer must have been released.
        for (ByteBuf buf : written) {
            assertThat(buf.refCnt()).as("buffer released").isZero();
        }
    }

    private EmbeddedChannel channel(RespLimits limits) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(limits));
        // Heap buffers, so allocations by the decoder's cumulation show up in the thread's allocation count.
        ch.config().setAllocator(new UnpooledByteBufAllocator(false));
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel channel() {
        return channel(RespLimits.DEFAULTS);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void write(EmbeddedChannel ch, byte[] bytes) {
        ByteBuf buf = Unpooled.buffer(bytes.length);
        buf.writeBytes(bytes);
        written.add(buf);
        ch.writeInbound(buf);
    }

    private void write(EmbeddedChannel ch, String s) {
        write(ch, ascii(s));
    }

    private static List<Object> readAll(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        return out;
    }

    private static List<String> command(Object message) {
        assertThat(message).isInstanceOf(byte[][].class);
        return Arrays.stream((byte[][]) message).map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList();
    }

    private static List<List<String>> commands(List<Object> messages) {
        return messages.stream().map(RespDecoderTest::command).toList();
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static String multibulk(String... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            sb.append(bulk(a));
        }
        return sb.toString();
    }

    /** Asserts the channel emitted exactly one ProtocolException with this message, and nothing else. */
    private static void assertProtocolError(EmbeddedChannel ch, String message) {
        List<Object> out = readAll(ch);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(ProtocolException.class);
        assertThat(((ProtocolException) out.get(0)).getMessage()).isEqualTo(message);
    }

    // ---------------------------------------------------------------- multibulk

    @Test
    void multibulkCommand() {
        EmbeddedChannel ch = channel();
        write(ch, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n");
        assertThat(commands(readAll(ch))).containsExactly(List.of("SET", "k", "hello"));
    }

    @Test
    void bulkStringsAreBinarySafe() {
        EmbeddedChannel ch = channel();
        String value = "a\r\nb\0c\u00ff$*";
        write(ch, "*2\r\n" + bulk("SET") + bulk(value));
        List<Object> out = readAll(ch);
        assertThat(commands(out)).containsExactly(List.of("SET", value));
        assertThat(((byte[][]) out.get(0))[1]).containsExactly(ascii(value));
    }

    @Test
    void emptyBulkString() {
        EmbeddedChannel ch = channel();
        write(ch, "*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
        assertThat(commands(readAll(ch))).containsExactly(List.of("GET", ""));
    }

    @Test
    void emptyAndNullMultibulkAreSkipped() {
        EmbeddedChannel ch = channel();
        write(ch, "*0\r\n*-1\r\n" + multibulk("PING"));
        assertThat(commands(readAll(ch))).containsExactly(List.of("PING"));
    }

    @Test
    void manyArguments() {
        EmbeddedChannel ch = channel();
        String[] args = new String[1000];
        for (int i = 0; i < args.length; i++) {
            args[i] = "arg" + i;
        }
        write(ch, multibulk(args));
        assertThat(commands(readAll(ch))).containsExactly(List.of(args));
    }

    @Test
    void pipelinedCommandsInOneBuffer() {
        EmbeddedChannel ch = channel();
        write(ch, multibulk("SET", "a", "1") + multibulk("GET", "a") + "PING\r\n" + multibulk("DEL", "a"));
        assertThat(commands(readAll(ch))).containsExactly(
                List.of("SET", "a", "1"), List.of("GET", "a"), List.of("PING"), List.of("DEL", "a"));
    }

    @Test
    void commandSplitByteByByteEmitsOnlyWhenComplete() {
        EmbeddedChannel ch = channel();
        String first = multibulk("SET", "key", "a value\r\n");
        String second = "ECHO \"x y\"\r\n";
        String third = multibulk("GET", "key");
        byte[] all = ascii(first + second + third);
        List<Integer> emittedAt = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            write(ch, new byte[] {all[i]});
            List<Object> now = readAll(ch);
            if (!now.isEmpty()) {
                assertThat(now).hasSize(1);
                emittedAt.add(i + 1);
                out.addAll(now);
            }
        }
        assertThat(emittedAt).containsExactly(first.length(), first.length() + second.length(), all.length);
        assertThat(commands(out)).containsExactly(
                List.of("SET", "key", "a value\r\n"), List.of("ECHO", "x y"), List.of("GET", "key"));
        assertThat(((RespDecoder) ch.pipeline().first()).bytesReceived()).isEqualTo(all.length);
    }

    @Test
    void commandSplitAtEveryPossiblePoint() {
        byte[] all = ascii(multibulk("SET", "k", "0123456789") + "GET k\r\n");
        for (int cut = 1; cut < all.length; cut++) {
            EmbeddedChannel ch = channel();
            write(ch, Arrays.copyOfRange(all, 0, cut));
            List<Object> out = new ArrayList<>(readAll(ch));
            write(ch, Arrays.copyOfRange(all, cut, all.length));
            out.addAll(readAll(ch));
            assertThat(commands(out)).as("cut at %d", cut)
                    .containsExactly(List.of("SET", "k", "0123456789"), List.of("GET", "k"));
        }
    }

    @Test
    void largeBulkArrivingInChunks() {
        EmbeddedChannel ch = channel();
        byte[] value = new byte[1 << 20];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        write(ch, "*2\r\n$3\r\nSET\r\n$" + value.length + "\r\n");
        for (int off = 0; off < value.length; off += 4096) {
            write(ch, Arrays.copyOfRange(value, off, off + 4096));
            assertThat(readAll(ch)).isEmpty();
        }
        write(ch, "\r");
        assertThat(readAll(ch)).isEmpty();
        write(ch, "\n");
        List<Object> out = readAll(ch);
        assertThat(out).hasSize(1);
        assertThat(((byte[][]) out.get(0))[1]).isEqualTo(value);
    }

    // ---------------------------------------------------------------- inline

    @Test
    void inlineCommand() {
        EmbeddedChannel ch = channel();
        write(ch, "SET key value\r\n");
        write(ch, "GET   key\n"); // bare LF and repeated blanks
        assertThat(commands(readAll(ch))).containsExactly(List.of("SET", "key", "value"), List.of("GET", "key"));
    }

    @Test
    void inlineCommandWithQuotesAndHexEscapes() {
        EmbeddedChannel ch = channel();
        write(ch, "SET \"a b\" 'c d' \"\\x41\\x42\" \"\" 'it\\'s'\r\n");
        assertThat(commands(readAll(ch))).containsExactly(List.of("SET", "a b", "c d", "AB", "", "it's"));
    }

    @Test
    void incompleteInlineLineEmitsNothing() {
        EmbeddedChannel ch = channel();
        write(ch, "PI");
        assertThat(readAll(ch)).isEmpty();
        write(ch, "NG\r");
        assertThat(readAll(ch)).isEmpty();
        write(ch, "\n");
        assertThat(commands(readAll(ch))).containsExactly(List.of("PING"));
    }

    @Test
    void blankInlineLinesAreIgnored() {
        EmbeddedChannel ch = channel();
        write(ch, "\r\n\n   \r\n\t\r\nPING\r\n\r\n" + multibulk("ECHO", "x") + "\r\n");
        assertThat(commands(readAll(ch))).containsExactly(List.of("PING"), List.of("ECHO", "x"));
    }

    @Test
    void inlineLineOfExactlyTheLimitIsAccepted() {
        EmbeddedChannel ch = channel();
        String arg = "a".repeat(RespLimits.INLINE_MAX);
        write(ch, arg);
        assertThat(readAll(ch)).isEmpty();
        write(ch, "\r\n");
        assertThat(commands(readAll(ch))).containsExactly(List.of(arg));
    }

    // ---------------------------------------------------------------- errors

    @Test
    void nonNumericMultibulkLength() {
        EmbeddedChannel ch = channel();
        write(ch, "*abc\r\n");
        assertProtocolError(ch, "invalid multibulk length");
    }

    @Test
    void multibulkLengthsThatAreNotNumbers() {
        for (String bad : new String[] {"*\r\n", "*-\r\n", "*1x\r\n", "*1\n", "*12345678901234567890\r\n"}) {
            EmbeddedChannel ch = channel();
            write(ch, bad);
            assertProtocolError(ch, "invalid multibulk length");
        }
    }

    @Test
    void overflowingMultibulkLengthIsAnError() {
        // 19 digits, above Long.MAX_VALUE: Redis's string2ll rejects it rather than wrapping around.
        EmbeddedChannel ch = channel();
        write(ch, "*9999999999999999999\r\n" + multibulk("PING"));
        assertProtocolError(ch, "invalid multibulk length");
    }

    @Test
    void tooManyArguments() {
        EmbeddedChannel ch = channel(new RespLimits(1024, RespLimits.INLINE_MAX, 3, 1 << 20));
        write(ch, multibulk("a", "b", "c"));
        assertThat(commands(readAll(ch))).containsExactly(List.of("a", "b", "c"));
        write(ch, "*4\r\n");
        assertProtocolError(ch, "invalid multibulk length");
    }

    @Test
    void tooBigMultibulkCountString() {
        EmbeddedChannel ch = channel();
        write(ch, "*" + "1".repeat(RespLimits.INLINE_MAX + 1));
        assertProtocolError(ch, "too big mbulk count string");
    }

    @Test
    void tooBigBulkCountString() {
        EmbeddedChannel ch = channel();
        write(ch, "*1\r\n$" + "1".repeat(RespLimits.INLINE_MAX + 1));
        assertProtocolError(ch, "too big bulk count string");
    }

    @Test
    void expectedDollar() {
        EmbeddedChannel ch = channel();
        write(ch, "*2\r\n$3\r\nGET\r\nx\r\n");
        assertProtocolError(ch, "expected '$', got 'x'");
    }

    @Test
    void negativeBulkLength() {
        EmbeddedChannel ch = channel();
        write(ch, "*1\r\n$-1\r\n");
        assertProtocolError(ch, "invalid bulk length");
    }

    @Test
    void nonNumericBulkLength() {
        for (String bad : new String[] {"$abc\r\n", "$\r\n", "$1\n", "$9999999999999999999\r\n"}) {
            EmbeddedChannel ch = channel();
            write(ch, "*1\r\n" + bad);
            assertProtocolError(ch, "invalid bulk length");
        }
    }

    @Test
    void bulkLengthAboveTheLimit() {
        RespLimits limits = new RespLimits(100, RespLimits.INLINE_MAX, Integer.MAX_VALUE, 1 << 20);
        EmbeddedChannel ok = channel(limits);
        write(ok, "*1\r\n$100\r\n" + "x".repeat(100) + "\r\n");
        assertThat(commands(readAll(ok))).containsExactly(List.of("x".repeat(100)));

        EmbeddedChannel ch = channel(limits);
        write(ch, "*1\r\n$101\r\n");
        assertProtocolError(ch, "invalid bulk length");
    }

    @Test
    void tooBigInlineRequest() {
        EmbeddedChannel ch = channel();
        write(ch, "a".repeat(RespLimits.INLINE_MAX));
        assertThat(readAll(ch)).isEmpty();
        write(ch, "a");
        assertProtocolError(ch, "too big inline request");
    }

    @Test
    void inlineLineWithNewlineBeyondTheLimitIsTooBig() {
        EmbeddedChannel ch = channel();
        write(ch, "a".repeat(RespLimits.INLINE_MAX + 10) + "\r\n");
        assertProtocolError(ch, "too big inline request");
    }

    @Test
    void unbalancedQuotes() {
        for (String bad : new String[] {"SET \"abc\r\n", "SET 'abc\r\n", "SET \"a\"b\r\n"}) {
            EmbeddedChannel ch = channel();
            write(ch, bad);
            assertProtocolError(ch, "unbalanced quotes in request");
        }
    }

    @Test
    void queryBufferLimitForAnIncompleteBulk() {
        EmbeddedChannel ch = channel(new RespLimits(512L << 20, RespLimits.INLINE_MAX, Integer.MAX_VALUE, 1024));
        // Pending: the decoded "SET" (3 + 32 bytes of overhead) plus the 900 buffered bytes = 935.
        write(ch, "*2\r\n$3\r\nSET\r\n$5000\r\n" + "x".repeat(900));
        assertThat(readAll(ch)).isEmpty();
        write(ch, "x".repeat(100));
        assertProtocolError(ch, "query buffer limit exceeded");
    }

    @Test
    void queryBufferLimitCountsArgumentsAlreadyDecoded() {
        EmbeddedChannel ch = channel(new RespLimits(512L << 20, RespLimits.INLINE_MAX, Integer.MAX_VALUE, 1024));
        // Each 600-byte argument is decoded as soon as it is complete, yet still counts until the command runs.
        write(ch, "*3\r\n" + bulk("x".repeat(600)));
        assertThat(readAll(ch)).isEmpty();
        write(ch, bulk("y".repeat(600)));
        assertProtocolError(ch, "query buffer limit exceeded");
    }

    @Test
    void queryBufferLimitForAnIncompleteInlineLine() {
        EmbeddedChannel ch = channel(new RespLimits(512L << 20, RespLimits.INLINE_MAX, Integer.MAX_VALUE, 1024));
        write(ch, "a".repeat(1024));
        assertThat(readAll(ch)).isEmpty();
        write(ch, "a");
        assertProtocolError(ch, "query buffer limit exceeded");
    }

    @Test
    void completeCommandsLargerThanTheQueryBufferLimitAreFine() {
        EmbeddedChannel ch = channel(new RespLimits(512L << 20, RespLimits.INLINE_MAX, Integer.MAX_VALUE, 1024));
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            pipeline.append(multibulk("SET", "k" + i, "v".repeat(50)));
        }
        write(ch, pipeline.toString());
        assertThat(readAll(ch)).hasSize(100).allMatch(m -> m instanceof byte[][]);
    }

    @Test
    void afterAnErrorFurtherInputYieldsNothing() {
        EmbeddedChannel ch = channel();
        write(ch, "*1\r\n$3\r\nGET\r\n*abc\r\n" + multibulk("PING"));
        List<Object> out = readAll(ch);
        assertThat(out).hasSize(2);
        assertThat(command(out.get(0))).containsExactly("GET");
        assertThat(out.get(1)).isInstanceOf(ProtocolException.class);
        write(ch, multibulk("PING"));
        write(ch, "PING\r\n");
        write(ch, "*abc\r\n");
        assertThat(readAll(ch)).isEmpty();
        assertThat(ch.isOpen()).isTrue(); // closing is the handler's job, after replying
    }

    @Test
    void errorReplyIsRedisText() {
        assertThat(new String(RespDecoder.errorReply(new ProtocolException("invalid bulk length")), StandardCharsets.UTF_8))
                .isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
    }

    // ---------------------------------------------------------------- memory

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void declaredHugeBulkAllocatesNothingUntilItsBytesArrive() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        EmbeddedChannel ch = channel(new RespLimits(512L * 1024 * 1024, RespLimits.INLINE_MAX, Integer.MAX_VALUE, 1024L * 1024 * 1024));

        long before = allocatedBytes();
        write(ch, "*2\r\n$3\r\nSET\r\n$400000000\r\nabc");
        for (int i = 0; i < 10; i++) {
            write(ch, "x".repeat(1000));
        }
        long allocated = allocatedBytes() - before;

        assertThat(readAll(ch)).isEmpty();
        assertThat(allocated).as("bytes allocated while 10 KB of a 400 MB bulk arrived").isLessThan(16L << 20);
        assertThat(((RespDecoder) ch.pipeline().first()).bytesReceived()).isEqualTo(28 + 10_000);
    }

    /** INFO client_recent_max_input_buffer's per-connection part: the most input held between two looks. */
    @Test
    void queryBufferPeakCountsAnArgumentBeingReadWholeAndStartsAgainWhenTaken() {
        EmbeddedChannel ch = channel();
        RespDecoder decoder = ch.pipeline().get(RespDecoder.class);
        write(ch, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n");
        write(ch, "x".repeat(1000));
        // SET and k decoded (3 + 1 bytes and 32 each of overhead), the value's 100000 to come whole
        assertThat(decoder.takeQueryBufferPeak()).isEqualTo(3 + 32 + 1 + 32 + 100_000);
        assertThat(decoder.takeQueryBufferPeak()).isZero();
        write(ch, "x".repeat(99_000) + "\r\n");
        assertThat(readAll(ch)).hasSize(1);
        assertThat(decoder.takeQueryBufferPeak()).as("all of it received, CRLF included").isEqualTo(3 + 32 + 1 + 32 + 100_002);
        write(ch, "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n");
        assertThat(readAll(ch)).hasSize(2);
        assertThat(decoder.takeQueryBufferPeak()).as("two pipelined commands in one read").isEqualTo(28);
    }
}
