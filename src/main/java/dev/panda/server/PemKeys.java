package dev.panda.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM certificates and private keys as Redis (OpenSSL) accepts them. The JDK reads only
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, and {@code BEGIN ENCRYPTED PRIVATE KEY} with a password);
 * keys written by {@code openssl genrsa -traditional} or older OpenSSL ({@code BEGIN RSA PRIVATE
 * KEY}, PKCS#1) and EC keys ({@code BEGIN EC PRIVATE KEY}, SEC1) are wrapped into PKCS#8 here,
 * which needs no third-party library. Legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}) is
 * refused with a message saying to convert it. Stateless; any thread.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
    /** DER of the rsaEncryption and id-ecPublicKey object identifiers. */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {
    }

    /** Every certificate in a PEM file (a chain: the server's first). */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (var c : factory.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return out;
    }

    /** The private key of a PEM file; {@code password} is used for an encrypted PKCS#8 key ("" for none). */
    static PrivateKey privateKey(Path file, String password) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue; // EC PARAMETERS, a certificate in the same file...
            }
            String body = m.group(2);
            if (body.contains("Proc-Type:")) {
                throw new GeneralSecurityException("legacy encrypted PEM key in " + file
                        + ": convert it with openssl pkcs8 -topk8 (PKCS#8, encrypted or not)");
            }
            byte[] der = Base64.getMimeDecoder().decode(body.trim());
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der);
                case "ENCRYPTED PRIVATE KEY" -> pkcs8(decrypt(der, password, file));
                case "RSA PRIVATE KEY" -> pkcs8(wrap(sequence(RSA_OID, new byte[] {0x05, 0x00}), der));
                case "EC PRIVATE KEY" -> pkcs8(wrap(sequence(EC_OID, namedCurve(der)), der));
                default -> throw new GeneralSecurityException("unsupported key type '" + type + "' in " + file);
            };
        }
        throw new GeneralSecurityException("no private key in " + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("not an RSA, EC, Ed25519 or DSA key", last);
    }

    private static byte[] decrypt(byte[] der, String password, Path file) throws GeneralSecurityException, IOException {
        if (password.isEmpty()) {
            throw new GeneralSecurityException("the key in " + file + " is encrypted: set tls-key-file-pass");
        }
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        // PBES2 (OpenSSL 3's default) names its real cipher in the parameters, which toString() gives.
        boolean pbes2 = info.getAlgName().equals("1.2.840.113549.1.5.13") || info.getAlgName().equalsIgnoreCase("PBES2");
        String algorithm = pbes2 ? info.getAlgParameters().toString() : info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())), info.getAlgParameters());
        return info.getKeySpec(cipher).getEncoded();
    }

    /** PKCS#8 PrivateKeyInfo: version 0, the algorithm, the key as an OCTET STRING. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    /**
     * The curve OID of a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING key, [0] OID, [1] ... }.
     * PKCS#8 needs it beside the algorithm.
     */
    private static byte[] namedCurve(byte[] sec1) throws GeneralSecurityException {
        int[] pos = {0};
        expect(sec1, pos, 0x30);
        length(sec1, pos);
        while (pos[0] < sec1.length) {
            int tag = sec1[pos[0]++] & 0xff;
            int len = length(sec1, pos);
            if (tag == 0xa0) {
                return Arrays.copyOfRange(sec1, pos[0], pos[0] + len);
            }
            pos[0] += len;
        }
        throw new GeneralSecurityException("EC key without a named curve");
    }

    private static void expect(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
        if (pos[0] >= der.length || (der[pos[0]++] & 0xff) != tag) {
            throw new GeneralSecurityException("malformed key");
        }
    }

    private static int length(byte[] der, int[] pos) throws GeneralSecurityException {
        if (pos[0] >= der.length) {
            throw new GeneralSecurityException("malformed key");
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7f;
        if (n > 3 || pos[0] + n > der.length) {
            throw new GeneralSecurityException("malformed key");
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
