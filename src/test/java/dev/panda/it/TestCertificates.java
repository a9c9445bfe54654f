package dev.panda.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for the TLS tests, made by the {@code openssl} command line in a temporary
 * directory: a CA; server certificates for 127.0.0.1 and localhost signed by it (a PKCS#8 RSA key
 * from {@code req -newkey -nodes}, one from {@code genrsa}, a PKCS#1 one from {@code genrsa
 * -traditional}, an EC one, an encrypted PKCS#8 copy, and an expired one); a client certificate;
 * and a second, untrusted CA with a client and a server certificate of its own. Client key pairs
 * are also exported as PKCS#12 for Java clients. Test thread.
 */
final class TestCertificates {
    static final String P12_PASSWORD = "test";
    static final String KEY_PASSWORD = "secret";

    final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    String path(String name) {
        return file(name).toString();
    }

    static TestCertificates create() throws Exception {
        TestCertificates c = new TestCertificates(Files.createTempDirectory("panda-tls"));
        Files.writeString(c.file("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Files.writeString(c.file("client.ext"), "extendedKeyUsage=clientAuth\n");
        c.ca("ca", "Panda Test CA");
        c.ca("other-ca", "Untrusted Test CA");
        c.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-subj", "/CN=localhost", "-out", "server.csr");
        c.sign("server", "ca", "1001", "30", "server.ext");
        c.run("openssl", "genrsa", "-out", "second.key", "2048");
        c.request("second", "panda-second");
        c.sign("second", "ca", "1002", "30", "server.ext");
        c.run("openssl", "genrsa", "-traditional", "-out", "pkcs1.key", "2048");
        c.request("pkcs1", "panda-pkcs1");
        c.sign("pkcs1", "ca", "1003", "30", "server.ext");
        c.run("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-out", "ec.key");
        c.request("ec", "panda-ec");
        c.sign("ec", "ca", "1004", "30", "server.ext");
        c.run("openssl", "pkcs8", "-topk8", "-in", "server.key", "-out", "encrypted.key", "-passout", "pass:" + KEY_PASSWORD);
        // -days -1: not after is a day before not before, so the certificate has expired.
        c.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "1005",
                "-days", "-1", "-extfile", "server.ext", "-out", "expired.crt");
        c.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "untrusted-server.key", "-subj", "/CN=localhost",
                "-out", "untrusted-server.csr");
        c.sign("untrusted-server", "other-ca", "3001", "30", "server.ext");
        c.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-subj", "/CN=panda-client", "-out", "client.csr");
        c.sign("client", "ca", "2001", "30", "client.ext");
        c.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue.key", "-subj", "/CN=panda-rogue", "-out", "rogue.csr");
        c.sign("rogue", "other-ca", "2002", "30", "client.ext");
        for (String name : List.of("client", "rogue")) {
            c.run("openssl", "pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
                    "-passout", "pass:" + P12_PASSWORD);
        }
        Files.createDirectories(c.file("ca-dir"));
        Files.copy(c.file("ca.crt"), c.file("ca-dir/panda-ca.pem"));
        Files.writeString(c.file("ca-dir/README"), "not a certificate\n");
        return c;
    }

    private void ca(String name, String subject) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "3650", "-subj", "/CN=" + subject);
    }

    private void request(String name, String cn) throws Exception {
        run("openssl", "req", "-new", "-key", name + ".key", "-subj", "/CN=" + cn, "-out", name + ".csr");
    }

    private void sign(String name, String ca, String serial, String days, String ext) throws Exception {
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-set_serial", serial,
                "-days", days, "-extfile", ext, "-out", name + ".crt");
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    /** A client context trusting {@code caName}.crt, presenting {@code clientName}.p12 when not null. */
    SSLContext clientContext(String caName, String clientName) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(file(caName + ".crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientName != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file(clientName + ".p12"))) {
                keys.load(in, P12_PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, P12_PASSWORD.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** redis-cli / redis-benchmark flags for TLS with the client certificate. */
    List<String> toolFlags(boolean withClientCert) {
        List<String> flags = new ArrayList<>(List.of("--tls", "--cacert", path("ca.crt")));
        if (withClientCert) {
            flags.addAll(List.of("--cert", path("client.crt"), "--key", path("client.key")));
        }
        return flags;
    }
}
