package dev.panda.persistence.snapshot;

import java.util.Locale;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page compression of a snapshot file. {@link #ZSTD} is the default (about a third smaller than
 * SNAPPY here); {@link #SNAPPY} writes faster. Both are read by DuckDB, Spark, pandas/pyarrow.
 * Immutable; any thread.
 */
public enum Compression {
    ZSTD(CompressionCodecName.ZSTD),
    SNAPPY(CompressionCodecName.SNAPPY);

    /** The compression used when none is configured. */
    public static final Compression DEFAULT = ZSTD;

    private final CompressionCodecName codec;

    Compression(CompressionCodecName codec) {
        this.codec = codec;
    }

    CompressionCodecName codec() {
        return codec;
    }

    /**
     * Parses a configuration value such as {@code zstd} or {@code SNAPPY} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Compression parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown snapshot compression '" + name + "' (expected zstd or snappy)");
    }
}
