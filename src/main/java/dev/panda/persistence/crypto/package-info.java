/**
 * Encryption at rest: everything Panda writes for its data (snapshots, WAL segments, and so what
 * it archives in S3) encrypted with a 256-bit AES key from {@code encryption-key-file}.
 *
 * <pre>
 * EncryptionKeys          the current key and old (read-only) keys, their key ids (SHA-256 prefix)
 * EncryptionKeyException  a bad key file, or a file needing a key that is not configured
 * WalBlockCipher          the encrypted WAL segment format: header naming the key, AES-GCM blocks
 * ParquetEncryption       Parquet modular encryption settings for snapshots
 * DecryptSnapshot         command-line tool: a plaintext copy of a snapshot for analysts
 * </pre>
 *
 * Only the JDK's {@code javax.crypto} and parquet-hadoop's {@code org.apache.parquet.crypto}; no
 * dependency on the network or command layers.
 */
package dev.panda.persistence.crypto;
