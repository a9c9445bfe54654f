package dev.panda.persistence.crypto;

import dev.panda.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys for encryption at rest: the current key ({@code encryption-key-file}), which writes
 * everything new, and old keys ({@code encryption-old-key-files}), which only read files
 * written before a rotation. A key file holds a 256-bit AES key in base64 (whitespace around it
 * is ignored). No key file: {@link #NONE}, and Panda writes plaintext.
 *
 * <p>Each key has a <b>key id</b>: the first 8 bytes of the SHA-256 of the key, in hex. Files
 * record the id of the key that encrypted them (the WAL segment header, the Parquet footer's key
 * metadata), so a reader picks the right key and a missing key is named in the error. The id
 * reveals nothing usable about the key. The key bytes are never logged or put in a message.
 *
 * <p>Immutable after loading; any thread.
 */
public final class EncryptionKeys {
    /** AES-256. */
    public static final int KEY_BYTES = 32;
    /** Bytes of the SHA-256 of a key that make its id. */
    public static final int ID_BYTES = 8;

    /** No encryption: files are written in plaintext, and encrypted files cannot be read. */
    public static final EncryptionKeys NONE = new EncryptionKeys(null, List.of());

    /** One key and its id. */
    public static final class Key {
        private final byte[] secret;
        private final byte[] id;

        private Key(byte[] secret) {
            this.secret = secret.clone();
            this.id = idOf(secret);
        }

        /** A copy of the key bytes (for a {@code javax.crypto} key spec). */
        public byte[] secret() {
            return secret.clone();
        }

        /** The raw id bytes (a copy). */
        public byte[] id() {
            return id.clone();
        }

        /** The id in hex, as messages and Parquet key metadata show it. */
        public String idHex() {
            return HexFormat.of().formatHex(id);
        }

        @Override
        public String toString() {
            return "key " + idHex(); // never the secret
        }
    }

    private final Key current;
    private final List<Key> readable;

    private EncryptionKeys(Key current, List<Key> old) {
        this.current = current;
        List<Key> all = new ArrayList<>();
        if (current != null) {
            all.add(current);
        }
        all.addAll(old);
        this.readable = List.copyOf(all);
    }

    /** The keys {@code encryption-key-file} and {@code encryption-old-key-files} name. */
    public static EncryptionKeys load(ServerConfig config) throws EncryptionKeyException {
        String currentFile = config.get("encryption-key-file").trim();
        List<Path> old = new ArrayList<>();
        for (String f : config.get("encryption-old-key-files").split("[,\\s]+")) {
            if (!f.isBlank()) {
                old.add(Path.of(f));
            }
        }
        return load(currentFile.isEmpty() ? null : Path.of(currentFile), old);
    }

    /**
     * Reads the key files.
     *
     * @param currentFile the key that writes (null: none, so plaintext)
     * @param oldFiles    keys that only read; they need a current key
     */
    public static EncryptionKeys load(Path currentFile, List<Path> oldFiles) throws EncryptionKeyException {
        if (currentFile == null && !oldFiles.isEmpty()) {
            throw new EncryptionKeyException("encryption-old-key-files is set but encryption-key-file is not: old keys"
                    + " only read; new data needs a current key");
        }
        if (currentFile == null) {
            return NONE;
        }
        List<Key> old = new ArrayList<>();
        for (Path f : oldFiles) {
            old.add(new Key(readKeyFile(f, "encryption-old-key-files")));
        }
        return new EncryptionKeys(new Key(readKeyFile(currentFile, "encryption-key-file")), old);
    }

    /** Keys given directly (tests). */
    public static EncryptionKeys of(byte[] current, byte[]... old) {
        List<Key> oldKeys = new ArrayList<>();
        for (byte[] k : old) {
            oldKeys.add(new Key(check(k, "old key")));
        }
        return new EncryptionKeys(new Key(check(current, "key")), oldKeys);
    }

    /** Parses the content of a key file: base64 of exactly 32 bytes. */
    public static byte[] parseKey(String text, String source) throws EncryptionKeyException {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new EncryptionKeyException(source + " is empty; it must hold a 256-bit key in base64"
                    + " (head -c 32 /dev/urandom | base64)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(trimmed.replaceAll("\\s", "")); // line breaks of base64(1) allowed
        } catch (IllegalArgumentException e) {
            throw new EncryptionKeyException(source + " is not valid base64; it must hold a 256-bit key in base64"
                    + " (head -c 32 /dev/urandom | base64)");
        }
        if (key.length != KEY_BYTES) {
            int n = key.length;
            Arrays.fill(key, (byte) 0);
            throw new EncryptionKeyException(source + " holds " + n + " bytes after base64 decoding; a 256-bit key is "
                    + KEY_BYTES + " bytes (head -c 32 /dev/urandom | base64)");
        }
        return key;
    }

    private static byte[] readKeyFile(Path file, String directive) throws EncryptionKeyException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new EncryptionKeyException(directive + " " + file + " cannot be read: " + e, e);
        }
        return parseKey(text, directive + " " + file);
    }

    private static byte[] check(byte[] key, String what) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes, not " + key.length);
        }
        return key;
    }

    /** The id of a key: the first {@link #ID_BYTES} bytes of its SHA-256. */
    static byte[] idOf(byte[] key) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** True when a key is configured: new files are encrypted. */
    public boolean enabled() {
        return current != null;
    }

    /** The key new files are written with, or null (plaintext). */
    public Key current() {
        return current;
    }

    /** The key with this id (current or old), or null. Compares in constant time. */
    public Key byId(byte[] id) {
        Key found = null;
        for (Key k : readable) {
            if (MessageDigest.isEqual(k.id, id)) {
                found = k;
            }
        }
        return found;
    }

    /** The key with this hex id, or null. */
    public Key byIdHex(String idHex) {
        try {
            return byId(HexFormat.of().parseHex(idHex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The error for {@code file} needing key {@code idHex}, which is not configured, with what
     * is configured (ids only).
     */
    public EncryptionKeyException missing(Object file, String idHex) {
        if (readable.isEmpty()) {
            return new EncryptionKeyException(file + " is encrypted (key id " + idHex + ") but no encryption-key-file"
                    + " is configured. Refusing to start; nothing was changed. Configure the key it was written with");
        }
        List<String> ids = readable.stream().map(Key::idHex).toList();
        return new EncryptionKeyException(file + " is encrypted with key id " + idHex + ", which is not among the"
                + " configured keys " + ids + " (encryption-key-file, encryption-old-key-files). Refusing to start;"
                + " nothing was changed. Configure the key it was written with (a wrong key file?)");
    }

    @Override
    public String toString() {
        return current == null ? "no encryption" : "current " + current + ", readable " + readable;
    }
}
