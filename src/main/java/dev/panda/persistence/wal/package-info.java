/**
 * The write-ahead log: every effect on the keyspace, appended in order, so that the newest
 * snapshot plus the records after its seq rebuild the exact state after a crash.
 *
 * <pre>
 * WalRecord      the effects (Set, Delete, ExpireAt, Persist, FlushDb, SwapDb), each with a seq
 * WalOpcode      their stable on-disk numbers (never renumber)
 * WalCodec       framing: [u32 len][u32 CRC32C][u64 seq][u8 opcode][payload], little-endian
 * WalBuffer      the growable batch buffer records are encoded into
 * WalWriter      store thread: append → write() once per batch → sync() (always / everysec thread);
 *                segments wal-&lt;first seq&gt;.log, rolling, failure retry, segment deletion
 * WalFiles       file-system seam (real java.nio, or failing in tests)
 * WalReader      start-up recovery: replay after a seq, cut a torn tail, refuse other damage
 * WalReplayResult, WalDamage, WalCorruptedException, WalFormatException   what recovery found
 * WalSegments    segment file naming and listing
 * SegmentRecords a segment's records whatever its format: SegmentCursor (plaintext),
 *                EncryptedSegmentCursor (AES-GCM blocks, see persistence.crypto.WalBlockCipher)
 * </pre>
 *
 * No dependency on the network or command layers.
 */
package dev.panda.persistence.wal;
