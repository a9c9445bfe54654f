package dev.panda.protocol;

/**
 * Malformed or over-limit input: the connection is answered with {@code -ERR Protocol error: …}
 * and closed, as Redis does. Netty event loop.
 */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
