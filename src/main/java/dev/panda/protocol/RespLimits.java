package dev.panda.protocol;

/**
 * The input limits of one connection, Redis's defaults unless configured: the largest bulk
 * string, the largest inline request, the most arguments in one command and the most bytes a
 * client may have buffered (received but not yet executed). Immutable; any thread.
 */
public record RespLimits(long maxBulkLength, int maxInlineLength, int maxArguments, long queryBufferLimit) {
    public static final int INLINE_MAX = 64 * 1024;
    public static final RespLimits DEFAULTS = new RespLimits(512L * 1024 * 1024, INLINE_MAX, Integer.MAX_VALUE, 1024L * 1024 * 1024);
}
