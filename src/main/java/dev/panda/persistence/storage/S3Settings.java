package dev.panda.persistence.storage;

import dev.panda.config.ServerConfig;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach the S3 bucket, from the {@code s3-*} directives. Immutable; any thread.
 *
 * @param bucket    the bucket
 * @param region    its region (us-east-1 by default; any value works for most S3-compatible stores)
 * @param endpoint  an endpoint override for S3-compatible stores (MinIO, Ceph, R2…), or null for AWS
 * @param pathStyle {@code http://host/bucket/key} addressing instead of {@code http://bucket.host/key}
 * @param prefix    the key prefix, empty or ending in {@code /}
 * @param timeout   the socket timeout; a whole call gets a few times this (see {@link S3BlobStore})
 * @param sse       server-side encryption asked of S3 on every upload: "" (none), "AES256" or "aws:kms"
 * @param sseKmsKeyId the KMS key for "aws:kms" ("" for the bucket's default)
 */
public record S3Settings(String bucket, String region, URI endpoint, boolean pathStyle, String prefix, Duration timeout,
                         String sse, String sseKmsKeyId) {

    /** Settings without server-side encryption. */
    public S3Settings(String bucket, String region, URI endpoint, boolean pathStyle, String prefix, Duration timeout) {
        this(bucket, region, endpoint, pathStyle, prefix, timeout, "", "");
    }

    /** The settings the configuration asks for. */
    public static S3Settings of(ServerConfig config) {
        String endpoint = config.get("s3-endpoint");
        String prefix = config.get("s3-prefix");
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        return new S3Settings(config.get("s3-bucket"), config.get("s3-region"),
                endpoint.isEmpty() ? null : URI.create(endpoint), config.getBool("s3-path-style"), prefix,
                Duration.ofMillis(config.getLong("s3-timeout")), config.get("s3-sse"), config.get("s3-sse-kms-key-id"));
    }

    /** {@code bucket/prefix, region}, as INFO and STATS show it. */
    public String describe() {
        return bucket + "/" + prefix + ", " + region + (endpoint != null ? ", " + endpoint : "");
    }
}
