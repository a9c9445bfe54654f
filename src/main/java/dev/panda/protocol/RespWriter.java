package dev.panda.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Encodes replies as RESP2 or RESP3 into a connection's output buffer. Common replies are
 * pre-encoded constants; numbers are written as ASCII digits without building strings.
 *
 * <p>Netty event loop of the connection (which is also the store thread).
 */
public final class RespWriter implements Reply {
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final short CRLF_SHORT = ('\r' << 8) | '\n';
    private static final byte[][] SMALL_INTEGERS = new byte[1024][];
    /** "$<n>\r\n" for the bulk lengths most replies have. */
    private static final byte[][] BULK_HEADERS = new byte[1024][];

    static {
        for (int i = 0; i < SMALL_INTEGERS.length; i++) {
            SMALL_INTEGERS[i] = ascii(":" + i + "\r\n");
            BULK_HEADERS[i] = ascii("$" + i + "\r\n");
        }
    }

    private ByteBuf out;
    private int protocol = 2;
    private long errors;
    /** Told of every error reply (INFO errorstats); none by default. */
    private java.util.function.Consumer<String> errorListener = m -> { };

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public void onError(java.util.function.Consumer<String> listener) {
        this.errorListener = listener;
    }

    public void target(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf target() {
        return out;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void ok() {
        out.writeBytes(OK);
    }

    @Override
    public void simple(String text) {
        out.writeByte('+');
        writeText(text);
        out.writeBytes(CRLF);
    }

    @Override
    public long errorsWritten() {
        return errors;
    }

    @Override
    public void error(String message) {
        errors++;
        errorListener.accept(message);
        out.writeByte('-');
        // An error line cannot contain newlines: Redis replaces them with spaces.
        writeText(message.replace('\r', ' ').replace('\n', ' '));
        out.writeBytes(CRLF);
    }

    @Override
    public void integer(long value) {
        if (value >= 0 && value < SMALL_INTEGERS.length) {
            out.writeBytes(SMALL_INTEGERS[(int) value]);
            return;
        }
        out.writeByte(':');
        writeDecimal(value);
        out.writeShort(CRLF_SHORT);
    }

    @Override
    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    @Override
    public void bulk(byte[] array, int offset, int length) {
        if (length < BULK_HEADERS.length) {
            out.writeBytes(BULK_HEADERS[length]);
        } else {
            out.writeByte('$');
            writeDecimal(length);
            out.writeShort(CRLF_SHORT);
        }
        out.writeBytes(array, offset, length);
        out.writeShort(CRLF_SHORT);
    }

    @Override
    public void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
    }

    @Override
    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    @Override
    public void array(int length) {
        header('*', length);
    }

    @Override
    public void push(int length) {
        header(protocol == 3 ? '>' : '*', length);
    }

    @Override
    public void map(int entries) {
        if (protocol == 3) {
            header('%', entries);
        } else {
            header('*', entries * 2);
        }
    }

    @Override
    public void attribute(int entries) {
        header('|', entries);
    }

    @Override
    public void set(int length) {
        header(protocol == 3 ? '~' : '*', length);
    }

    @Override
    public void doubleValue(double value) {
        doubleText(Doubles.format(value));
    }

    @Override
    public void doubleText(String text) {
        if (protocol == 3) {
            out.writeByte(',');
            writeText(text);
            out.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    @Override
    public void bool(boolean value) {
        if (protocol == 3) {
            out.writeByte('#');
            out.writeByte(value ? 't' : 'f');
            out.writeBytes(CRLF);
        } else {
            integer(value ? 1 : 0);
        }
    }

    @Override
    public void bigNumber(String digits) {
        if (protocol == 3) {
            out.writeByte('(');
            writeText(digits);
            out.writeBytes(CRLF);
        } else {
            bulk(digits);
        }
    }

    @Override
    public void verbatim(String text) {
        if (protocol == 3) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            out.writeByte('=');
            writeDecimal(body.length + 4);
            out.writeBytes(CRLF);
            writeText("txt:");
            out.writeBytes(body);
            out.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    private void header(char type, int length) {
        out.writeByte(type);
        writeDecimal(length);
        out.writeBytes(CRLF);
    }

    private void writeText(String text) {
        out.writeCharSequence(text, StandardCharsets.UTF_8);
    }

    private void writeDecimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                writeText(Long.toString(value));
                return;
            }
            out.writeByte('-');
            value = -value;
        }
        if (value < 10) {
            out.writeByte('0' + (int) value);
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, '0' + (int) (value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }
}
