package dev.panda.server;

import dev.panda.config.ServerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, built from the {@code tls-*} directives as Redis's
 * {@code tlsConfigure} does, and swapped whole on CONFIG SET: a context that cannot be built
 * (a missing file, a key that does not match, an unknown protocol) is refused with the reason
 * logged and the previous one stays; connections already open keep the context they started
 * with. {@code tls-auth-clients} and {@code tls-prefer-server-ciphers} are read per connection,
 * as Redis reads the former, so changing them needs no rebuild.
 *
 * <p>The provider is OpenSSL (netty-tcnative's BoringSSL) when its native library loads, the
 * JDK's engine otherwise; {@code -Dpanda.tls.provider=jdk|openssl} forces one (for comparison).
 *
 * <p>Built on the main thread at start-up and on the store thread at CONFIG SET; {@link
 * #newHandler} runs on the store thread as a connection opens.
 */
final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);
    /** Redis's message for a TLS configuration it cannot apply; the reason goes to the log. */
    static final String UNABLE = "Unable to update TLS configuration. Check server logs.";
    /** Directives whose change rebuilds the context. */
    static final Set<String> CONTEXT_DIRECTIVES = Set.of("tls-cert-file", "tls-key-file", "tls-key-file-pass",
            "tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass", "tls-ca-cert-file",
            "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites", "tls-prefer-server-ciphers",
            "tls-session-caching", "tls-session-cache-size", "tls-session-cache-timeout");

    private final ServerConfig config;
    private final SslProvider provider;
    private volatile SslContext current;

    TlsContexts(ServerConfig config) {
        this.config = config;
        this.provider = chooseProvider(System.getProperty("panda.tls.provider", "auto"));
    }

    static SslProvider chooseProvider(String wanted) {
        return switch (wanted.toLowerCase(Locale.ROOT)) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("panda.tls.provider=openssl but OpenSSL is unavailable: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            default -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    /** "openssl (BoringSSL)" or "jdk", for the start-up log. */
    String providerName() {
        return provider == SslProvider.JDK ? "jdk" : "openssl (" + OpenSsl.versionString() + ")";
    }

    boolean configured() {
        return current != null;
    }

    /**
     * Builds a context from the current directives and makes new connections use it; throws
     * {@link IllegalArgumentException} with Redis's message when it cannot, leaving the old one.
     */
    void reload() {
        current = build();
    }

    /** A context from the current directives, not yet in use; see {@link #use}. */
    SslContext build() {
        try {
            return buildOrExplain();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file " + e.getMessage()
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("TLS configuration refused: {}", reason);
            throw new IllegalArgumentException(UNABLE, e);
        }
    }

    void use(SslContext context) {
        current = context;
    }

    private SslContext buildOrExplain() throws IOException, GeneralSecurityException {
        String certFile = config.get("tls-cert-file");
        String keyFile = config.get("tls-key-file");
        String caFile = config.get("tls-ca-cert-file");
        String caDir = config.get("tls-ca-cert-dir");
        if (certFile.isEmpty()) {
            throw new IllegalArgumentException("No tls-cert-file configured!");
        }
        if (keyFile.isEmpty()) {
            throw new IllegalArgumentException("No tls-key-file configured!");
        }
        if (!config.get("tls-auth-clients").equals("no") && caFile.isEmpty() && caDir.isEmpty()) {
            throw new IllegalArgumentException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when "
                    + "tls-cluster, tls-replication or tls-auth-clients are enabled!");
        }
        List<X509Certificate> chain = PemKeys.certificates(Path.of(certFile));
        PrivateKey key = PemKeys.privateKey(Path.of(keyFile), config.get("tls-key-file-pass"));
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(provider)
                .protocols(protocols(config.get("tls-protocols")));
        List<X509Certificate> trusted = new ArrayList<>();
        if (!caFile.isEmpty()) {
            trusted.addAll(PemKeys.certificates(Path.of(caFile)));
        }
        if (!caDir.isEmpty()) {
            trusted.addAll(directoryCertificates(Path.of(caDir)));
        }
        if (!trusted.isEmpty()) {
            builder.trustManager(trusted);
        }
        List<String> ciphers = ciphers();
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE);
        }
        boolean caching = config.getBool("tls-session-caching");
        builder.sessionCacheSize(caching ? config.getLong("tls-session-cache-size") : 1)
                .sessionTimeout(config.getLong("tls-session-cache-timeout"));
        SslContext context = builder.build();
        if (!caching && context.sessionContext() instanceof OpenSslSessionContext openssl) {
            openssl.setSessionCacheEnabled(false);
        }
        checkKeyMatches(key, chain.get(0));
        return context;
    }

    /** Redis's tls-protocols: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 in any case; unset is TLSv1.2 and TLSv1.3. */
    static String[] protocols(String value) {
        if (value.isBlank()) {
            return new String[] {"TLSv1.2", "TLSv1.3"};
        }
        Set<String> out = new LinkedHashSet<>();
        for (String token : value.trim().split(" +")) {
            out.add(switch (token.toLowerCase(Locale.ROOT)) {
                case "tlsv1" -> "TLSv1";
                case "tlsv1.1" -> "TLSv1.1";
                case "tlsv1.2" -> "TLSv1.2";
                case "tlsv1.3" -> "TLSv1.3";
                default -> throw new IllegalArgumentException(
                        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            });
        }
        return out.toArray(String[]::new);
    }

    /**
     * tls-ciphers (TLSv1.2 and below) and tls-ciphersuites (TLSv1.3), colon-separated names. The
     * OpenSSL provider takes OpenSSL's names; for the JDK's they are translated to IANA names
     * (ECDHE-RSA-AES128-GCM-SHA256 to TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256). OpenSSL's cipher-list
     * expressions (HIGH:!aNULL) are not understood.
     */
    private List<String> ciphers() {
        List<String> out = new ArrayList<>();
        for (String directive : new String[] {"tls-ciphers", "tls-ciphersuites"}) {
            for (String name : config.get(directive).split(":")) {
                name = name.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (provider == SslProvider.JDK && !name.startsWith("TLS_")) {
                    String java = CipherSuiteConverter.toJava(name, "TLS");
                    if (java == null) {
                        throw new IllegalArgumentException("Failed to configure ciphers: " + config.get(directive));
                    }
                    name = java;
                }
                out.add(name);
            }
        }
        return out;
    }

    /** Every certificate in every readable PEM file of the directory (OpenSSL's hashed links included). */
    private static List<X509Certificate> directoryCertificates(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("tls-ca-cert-dir " + dir + " is not a directory");
        }
        List<X509Certificate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    for (X509Certificate c : PemKeys.certificates(f)) {
                        if (!out.contains(c)) {
                            out.add(c);
                        }
                    }
                } catch (IOException | GeneralSecurityException e) {
                    LOG.debug("tls-ca-cert-dir: skipping {}: {}", f, e.getMessage());
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no certificate in tls-ca-cert-dir " + dir);
        }
        return out;
    }

    /** Refuses a key that is not the certificate's (OpenSSL checks this when loading; the JDK would fail each handshake). */
    private static void checkKeyMatches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        var publicKey = cert.getPublicKey();
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())
                && !(publicKey.getAlgorithm().equals("EC") && key.getAlgorithm().equals("EC"))) {
            throw new GeneralSecurityException("the key in tls-key-file does not match the certificate in tls-cert-file");
        }
        if (publicKey instanceof java.security.interfaces.RSAPublicKey rsa
                && key instanceof java.security.interfaces.RSAPrivateKey rsaKey
                && !rsa.getModulus().equals(rsaKey.getModulus())) {
            throw new GeneralSecurityException("the key in tls-key-file does not match the certificate in tls-cert-file");
        }
        if (publicKey instanceof java.security.interfaces.ECPublicKey ec) {
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            byte[] probe = "panda".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(ec);
            signer.update(probe);
            if (!signer.verify(signature)) {
                throw new GeneralSecurityException("the key in tls-key-file does not match the certificate in tls-cert-file");
            }
        }
    }

    /** The TLS handler of a new connection, with tls-auth-clients and tls-prefer-server-ciphers applied. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = current.newHandler(alloc);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        switch (config.get("tls-auth-clients")) {
            case "yes" -> params.setNeedClientAuth(true);
            case "optional" -> params.setWantClientAuth(true);
            default -> params.setWantClientAuth(false);
        }
        params.setUseCipherSuitesOrder(config.getBool("tls-prefer-server-ciphers"));
        engine.setSSLParameters(params);
        return handler;
    }
}
