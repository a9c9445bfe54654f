package dev.panda.persistence.storage;

import java.io.IOException;

/**
 * A failed call to the archive store, classified so that start-up can tell "S3 is down" (keep
 * serving from local data, retry later) from "S3 is misconfigured" (say exactly what to fix).
 * Immutable; any thread.
 */
public final class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the operator is concerned. */
    public enum Kind {
        /** No answer, a timeout, a refused connection or a 5xx: worth retrying. */
        UNREACHABLE,
        /** The bucket does not exist. */
        NO_BUCKET,
        /** Missing, unknown or wrong credentials, or access denied. */
        CREDENTIALS,
        /** The bucket lives in another region than the one configured. */
        REGION,
        /** Anything else the store refused. */
        OTHER
    }

    private final Kind kind;

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True for failures that retrying cannot fix: the configuration must change. */
    public boolean misconfigured() {
        return kind == Kind.NO_BUCKET || kind == Kind.CREDENTIALS || kind == Kind.REGION;
    }
}
