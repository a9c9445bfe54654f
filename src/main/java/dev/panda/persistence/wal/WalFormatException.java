package dev.panda.persistence.wal;

/**
 * One framed record could not be decoded: the bytes end inside it, its length is impossible,
 * its checksum does not match, or its checked content does not parse. {@link WalReader} turns
 * this into a cut torn tail or a {@link WalCorruptedException} naming the file and offset.
 * Any thread.
 */
public final class WalFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the record. */
    public enum Kind {
        /** The bytes end before the record does: a write that did not complete. */
        TRUNCATED,
        /** The length field is below the minimum or above {@link WalCodec#MAX_RECORD_LENGTH}. */
        BAD_LENGTH,
        /** The CRC32C does not match the bytes: torn or damaged. */
        BAD_CRC,
        /**
         * The checksum matches but the content is invalid (unknown opcode, bad field lengths,
         * trailing bytes): written by a buggy or newer writer, never by a torn write.
         */
        BAD_PAYLOAD;

        /** True for the kinds an interrupted write can leave behind (a torn tail). */
        public boolean couldBeTornWrite() {
            return this != BAD_PAYLOAD;
        }
    }

    private final Kind kind;

    public WalFormatException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
