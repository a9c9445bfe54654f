package dev.panda.it;

import static dev.panda.it.RespConnection.array;
import static dev.panda.it.RespConnection.bulk;
import static dev.panda.it.RespConnection.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * TLS on Panda's tls-port, over real sockets: redis-cli and redis-benchmark with {@code --tls},
 * Jedis and Lettuce, client certificates (tls-auth-clients yes, optional, no), certificates
 * reloaded by CONFIG SET, tls-port moved by CONFIG SET, the key formats OpenSSL writes, and bad
 * input (plain text, garbage, a handshake cut short). Where Redis's behaviour is the question
 * (defaults, the error of a bad certificate file, plain text on the TLS port) the same assertion
 * runs against Debian's redis-server with TLS. One Panda serves TLS only ({@code port 0}); each
 * test starts from its certificates. Test thread.
 */
class TlsIT {
    private static TestCertificates certs;
    private static RunningPanda panda;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        RedisToolsIT.requireTool("openssl", "openssl");
        certs = TestCertificates.create();
        tlsPort = freePort();
        panda = new RunningPanda("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certs.path("server.crt"),
                "--tls-key-file", certs.path("server.key"), "--tls-ca-cert-file", certs.path("ca.crt"));
    }

    @AfterAll
    static void stop() {
        if (panda != null) {
            panda.close();
        }
    }

    @BeforeEach
    void resetTls() throws Exception {
        try (RespConnection c = admin()) {
            assertThat(c.call("CONFIG", "SET", "tls-port", Integer.toString(tlsPort), "tls-cert-file", certs.path("server.crt"),
                    "tls-key-file", certs.path("server.key"), "tls-key-file-pass", "", "tls-ca-cert-file", certs.path("ca.crt"),
                    "tls-ca-cert-dir", "", "tls-auth-clients", "yes", "maxclients", "10000")).isEqualTo("+OK\r\n");
            c.call("FLUSHALL");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A TLS socket to Panda's TLS port after its handshake, trusting the test CA, with the client's certificate when not null. */
    private static SSLSocket handshake(int port, String caName, String clientName) throws Exception {
        SSLContext ctx = certs.clientContext(caName, clientName);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        var params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the server's name must match: 127.0.0.1 is in its SAN
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    private static RespConnection connect(String clientName) throws Exception {
        return new RespConnection(handshake(tlsPort, "ca", clientName));
    }

    private static BigInteger serialSeen(SSLSocket s) throws Exception {
        return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** Reads until the server closes; an exception from the TLS layer counts as closed. */
    private static byte[] readUntilClosed(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException closed) {
            // reset or TLS alert: closed all the same
        }
        return got.toByteArray();
    }

    private static Commands.Result tool(String program, List<String> tlsFlags, int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(tlsFlags);
        cmd.addAll(Arrays.asList(args));
        return Commands.run(cmd, null, 60);
    }

    // ---- clients -----------------------------------------------------------------------------

    @Test
    void redisCliRunsCommandsOverTls() throws Exception {
        RedisToolsIT.requireTool("redis-cli", "redis-tools");
        assertThat(tool("redis-cli", certs.toolFlags(true), tlsPort, "PING").output()).isEqualTo("PONG\n");
        assertThat(tool("redis-cli", certs.toolFlags(true), tlsPort, "SET", "greeting", "hello over tls").output()).isEqualTo("OK\n");
        assertThat(tool("redis-cli", certs.toolFlags(true), tlsPort, "GET", "greeting").output()).isEqualTo("hello over tls\n");
    }

    @Test
    void redisBenchmarkRunsOverTls() throws Exception {
        RedisToolsIT.requireTool("redis-benchmark", "redis-tools");
        Commands.Result r = tool("redis-benchmark", certs.toolFlags(true), tlsPort, "-t", "set,get", "-n", "2000", "-c", "10", "-q");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).containsPattern("SET: [0-9.]+ requests per second").containsPattern("GET: [0-9.]+ requests per second");
        try (RespConnection c = connect("client")) {
            // At least -n of each (redis-benchmark sends a few more as its clients finish).
            String stats = c.call("INFO", "commandstats");
            for (String command : List.of("set", "get")) {
                var m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+),").matcher(stats);
                assertThat(m.find()).as(stats).isTrue();
                assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(2000);
            }
        }
    }

    @Test
    void jedisWorksOverTls() throws Exception {
        SSLContext ctx = certs.clientContext("ca", "client");
        var config = DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(ctx.getSocketFactory()).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", tlsPort), config)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            jedis.set("lib", "jedis");
            assertThat(jedis.get("lib")).isEqualTo("jedis");
            assertThat(jedis.incrBy("n", 41)).isEqualTo(41);
        }
    }

    @Test
    void lettuceWorksOverTls() {
        SslOptions ssl = SslOptions.builder().jdkSslProvider().trustManager(certs.file("ca.crt").toFile())
                .keyManager(certs.file("client.crt").toFile(), certs.file("client.key").toFile(), null).build();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(tlsPort).withSsl(true)
                .withVerifyPeer(true).build());
        client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            assertThat(conn.sync().ping()).isEqualTo("PONG");
            conn.sync().set("lib", "lettuce");
            assertThat(conn.sync().get("lib")).isEqualTo("lettuce");
            assertThat(conn.async().incr("n").toCompletableFuture().join()).isEqualTo(1L);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    // ---- client certificates -----------------------------------------------------------------

    @Test
    void clientCertificatesFollowTlsAuthClients() throws Exception {
        // yes (the default): a certificate from the CA is required.
        try (RespConnection c = connect("client")) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        assertRefused(null);
        assertRogueRefused(); // signed by a CA the server does not trust
        // optional: none is fine, an untrusted one is still refused.
        try (RespConnection c = connect("client")) {
            assertThat(c.call("CONFIG", "SET", "tls-auth-clients", "optional")).isEqualTo("+OK\r\n");
        }
        try (RespConnection c = connect(null)) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        try (RespConnection c = connect("client")) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        assertRogueRefused();
        // no: none is asked for.
        try (RespConnection c = connect("client")) {
            assertThat(c.call("CONFIG", "SET", "tls-auth-clients", "no")).isEqualTo("+OK\r\n");
        }
        try (RespConnection c = connect(null)) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        // redis-cli without --cert, likewise.
        RedisToolsIT.requireTool("redis-cli", "redis-tools");
        assertThat(tool("redis-cli", certs.toolFlags(false), tlsPort, "PING").output()).isEqualTo("PONG\n");
    }

    /** The handshake fails, or (TLSv1.3 checks the client's certificate after the client finished) the first read finds the connection closed. */
    private static void assertRefused(String clientName) {
        assertThatThrownBy(() -> {
            try (RespConnection c = connect(clientName)) {
                c.call("PING");
            }
        }).as("client certificate %s", clientName).isInstanceOf(IOException.class);
    }

    /**
     * A certificate from the untrusted CA, shown by redis-cli (Java clients would not show it: they
     * offer only certificates from the CAs the server lists in its request).
     */
    private static void assertRogueRefused() throws Exception {
        RedisToolsIT.requireTool("redis-cli", "redis-tools");
        Commands.Result r = tool("redis-cli", List.of("--tls", "--cacert", certs.path("ca.crt"), "--cert", certs.path("rogue.crt"),
                "--key", certs.path("rogue.key")), tlsPort, "PING");
        assertThat(r.output()).doesNotContain("PONG").contains("Server closed the connection");
    }

    @Test
    void caCertDirTrustsEveryCertificateInIt() throws Exception {
        try (RespConnection c = connect("client")) {
            assertThat(c.call("CONFIG", "SET", "tls-ca-cert-file", "", "tls-ca-cert-dir", certs.path("ca-dir"))).isEqualTo("+OK\r\n");
        }
        try (RespConnection c = connect("client")) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        assertRogueRefused();
    }

    // ---- server certificates -----------------------------------------------------------------

    @Test
    void configSetReloadsTheCertificateForNewConnections() throws Exception {
        try (SSLSocket before = handshake(tlsPort, "ca", "client"); RespConnection old = new RespConnection(before)) {
            assertThat(serialSeen(before)).isEqualTo(1001);
            assertThat(old.call("CONFIG", "SET", "tls-cert-file", certs.path("second.crt"), "tls-key-file", certs.path("second.key")))
                    .isEqualTo("+OK\r\n");
            try (SSLSocket after = handshake(tlsPort, "ca", "client"); RespConnection fresh = new RespConnection(after)) {
                assertThat(serialSeen(after)).isEqualTo(1002);
                assertThat(after.getSession().getPeerPrincipal().getName()).isEqualTo("CN=panda-second");
                assertThat(fresh.call("PING")).isEqualTo("+PONG\r\n");
            }
            // The connection opened before goes on with its session.
            assertThat(old.call("PING")).isEqualTo("+PONG\r\n");
            // The same file names again: read again (Redis's VOLATILE_CONFIG), still OK.
            assertThat(old.call("CONFIG", "SET", "tls-cert-file", certs.path("second.crt"))).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void aBadCertificateFileFailsConfigSetAndTheOldContextStays() throws Exception {
        try (RespConnection c = connect("client")) {
            assertThat(c.call("CONFIG", "SET", "tls-cert-file", certs.path("missing.crt"))).isEqualTo(error(
                    "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs."));
            // A key that is not the certificate's.
            assertThat(c.call("CONFIG", "SET", "tls-cert-file", certs.path("second.crt"))).isEqualTo(error(
                    "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs."));
            // An encrypted key without its password, then a wrong one.
            assertThat(c.call("CONFIG", "SET", "tls-key-file", certs.path("encrypted.key"))).startsWith(
                    "-ERR CONFIG SET failed (possibly related to argument 'tls-key-file')");
            assertThat(c.call("CONFIG", "SET", "tls-key-file", certs.path("encrypted.key"), "tls-key-file-pass", "wrong")).startsWith(
                    "-ERR CONFIG SET failed (possibly related to argument 'tls-key-file')");
            assertThat(c.call("CONFIG", "SET", "tls-protocols", "TLSv9")).startsWith(
                    "-ERR CONFIG SET failed (possibly related to argument 'tls-protocols')");
            assertThat(c.call("CONFIG", "GET", "tls-cert-file")).isEqualTo(array(bulk("tls-cert-file"), bulk(certs.path("server.crt"))));
            assertThat(c.call("CONFIG", "GET", "tls-key-file")).isEqualTo(array(bulk("tls-key-file"), bulk(certs.path("server.key"))));
            assertThat(c.call("CONFIG", "GET", "tls-protocols")).isEqualTo(array(bulk("tls-protocols"), bulk("")));
        }
        try (SSLSocket s = handshake(tlsPort, "ca", "client"); RespConnection c = new RespConnection(s)) {
            assertThat(serialSeen(s)).isEqualTo(1001);
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void keysInTheFormatsOpenSslWritesLoad() throws Exception {
        // name, serial, password: req -newkey (PKCS#8), genrsa (PKCS#8 in OpenSSL 3), genrsa -traditional
        // (PKCS#1), ecparam -genkey (SEC1 with parameters), pkcs8 -topk8 (encrypted PKCS#8).
        Object[][] cases = {{"server", "server", 1001, ""}, {"second", "second", 1002, ""}, {"pkcs1", "pkcs1", 1003, ""},
            {"ec", "ec", 1004, ""}, {"server", "encrypted", 1001, TestCertificates.KEY_PASSWORD}};
        for (Object[] k : cases) {
            try (RespConnection c = connect("client")) {
                assertThat(c.call("CONFIG", "SET", "tls-cert-file", certs.path(k[0] + ".crt"), "tls-key-file", certs.path(k[1] + ".key"),
                        "tls-key-file-pass", (String) k[3])).as("key %s", k[1]).isEqualTo("+OK\r\n");
            }
            try (SSLSocket s = handshake(tlsPort, "ca", "client"); RespConnection c = new RespConnection(s)) {
                assertThat(serialSeen(s)).as("key %s", k[1]).isEqualTo((int) k[2]);
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void clientsRefuseAnExpiredOrUntrustedServerCertificate() throws Exception {
        RedisToolsIT.requireTool("redis-cli", "redis-tools");
        try (RespConnection c = admin()) {
            assertThat(c.call("CONFIG", "SET", "tls-cert-file", certs.path("expired.crt"))).isEqualTo("+OK\r\n");
        }
        assertThatThrownBy(() -> handshake(tlsPort, "ca", "client").close()).isInstanceOf(SSLException.class)
                .hasStackTraceContaining("validity");
        assertThat(tool("redis-cli", certs.toolFlags(true), tlsPort, "PING").output()).doesNotContain("PONG")
                .containsIgnoringCase("certificate");
        // A certificate from a CA the clients do not trust.
        try (RespConnection c = admin()) {
            assertThat(c.call("CONFIG", "SET", "tls-cert-file", certs.path("untrusted-server.crt"), "tls-key-file",
                    certs.path("untrusted-server.key"))).isEqualTo("+OK\r\n");
        }
        assertThatThrownBy(() -> handshake(tlsPort, "ca", "client").close()).isInstanceOf(SSLException.class);
        assertThat(tool("redis-cli", certs.toolFlags(true), tlsPort, "PING").output()).doesNotContain("PONG")
                .containsIgnoringCase("certificate verify failed");
    }

    /**
     * The test's own connection, with the client certificate, trusting whatever the server shows:
     * it sets the server back whatever certificate a test left it with.
     */
    private static RespConnection admin() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(keyManagersOfClient(), new javax.net.ssl.TrustManager[] {new TrustEverything()}, null);
        SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", tlsPort);
        s.startHandshake();
        return new RespConnection(s);
    }

    private static javax.net.ssl.KeyManager[] keyManagersOfClient() throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(certs.file("client.p12"))) {
            keys.load(in, TestCertificates.P12_PASSWORD.toCharArray());
        }
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestCertificates.P12_PASSWORD.toCharArray());
        return kmf.getKeyManagers();
    }

    /** For the test's own admin connection to a server whose certificate it made untrusted on purpose. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    // ---- ports -------------------------------------------------------------------------------

    @Test
    void portZeroWithTlsListensOnTheTlsPortOnly() throws Exception {
        assertThat(panda.port).as("no plain-text listener").isZero();
        assertThat(panda.server.tlsPort()).isEqualTo(tlsPort);
        try (RespConnection c = connect("client")) {
            assertThat(c.call("INFO", "server")).contains("tcp_port:0\r\n");
        }
    }

    @Test
    void plainAndTlsPortsServeTheSameData() throws Exception {
        int tls = freePort();
        try (RunningPanda both = new RunningPanda("--port", Integer.toString(freePort()), "--tls-port", Integer.toString(tls), "--tls-cert-file", certs.path("server.crt"),
                "--tls-key-file", certs.path("server.key"), "--tls-auth-clients", "no");
             RespConnection plain = new RespConnection(both.port);
             RespConnection secure = new RespConnection(handshake(tls, "ca", null))) {
            assertThat(both.port).isNotZero().isNotEqualTo(tls);
            assertThat(plain.call("SET", "k", "from plain")).isEqualTo("+OK\r\n");
            assertThat(secure.call("GET", "k")).isEqualTo(bulk("from plain"));
        }
    }

    @Test
    void configSetTlsPortMovesTheListener() throws Exception {
        int moved = freePort();
        try (RespConnection c = connect("client")) {
            assertThat(c.call("CONFIG", "SET", "tls-port", Integer.toString(moved))).isEqualTo("+OK\r\n");
            assertThat(panda.server.tlsPort()).isEqualTo(moved);
            try (RespConnection there = new RespConnection(handshake(moved, "ca", "client"))) {
                assertThat(there.call("PING")).isEqualTo("+PONG\r\n");
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", tlsPort).close()).isInstanceOf(ConnectException.class);
            // A port that is taken: refused, the listener stays where it is.
            try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                assertThat(c.call("CONFIG", "SET", "tls-port", Integer.toString(taken.getLocalPort()))).isEqualTo(error(
                        "ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to listen on this port. Check server logs."));
            }
            assertThat(c.call("CONFIG", "GET", "tls-port")).isEqualTo(array(bulk("tls-port"), bulk(Integer.toString(moved))));
            // 0 closes it; this connection stays.
            assertThat(c.call("CONFIG", "SET", "tls-port", "0")).isEqualTo("+OK\r\n");
            assertThatThrownBy(() -> new Socket("127.0.0.1", moved).close()).isInstanceOf(ConnectException.class);
            assertThat(c.call("CONFIG", "SET", "tls-port", Integer.toString(tlsPort))).isEqualTo("+OK\r\n");
        }
        try (RespConnection back = connect("client")) {
            assertThat(back.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void thePandaJarServesTlsOnlyWithPortZero() throws Exception {
        int tls = freePort();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("panda-tls-jar");
        try (PandaProcess p = PandaProcess.startJar(List.of("--port", "0", "--dir", dir.toString(), "--save", "", "--tls-port",
                Integer.toString(tls), "--tls-cert-file", certs.path("server.crt"), "--tls-key-file", certs.path("server.key"),
                "--tls-ca-cert-file", certs.path("ca.crt")), Map.of())) {
            assertThat(p.awaitReady()).as("tcp port").isZero();
            try (RespConnection c = new RespConnection(handshake(tls, "ca", "client"))) {
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            }
            p.process.destroy();
            p.awaitExit();
            // netty-tcnative's BoringSSL loads from the shaded jar on linux-x86_64.
            assertThat(p.output()).contains("tls port=" + tls + " tls provider=openssl (BoringSSL)");
        }
    }

    // ---- bad input ---------------------------------------------------------------------------

    @Test
    void plainTextOnTheTlsPortGetsNoReply() throws Exception {
        assertPlainTextRefused(tlsPort);
        try (RespConnection c = connect("client")) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    static void assertPlainTextRefused(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PING\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] got = readUntilClosed(s.getInputStream());
            String text = new String(got, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("PONG").doesNotContain("-ERR");
            // Nothing, or a TLS alert record (content type 21).
            assertThat(got.length == 0 || got[0] == 21).as("reply %s", Arrays.toString(got)).isTrue();
        }
    }

    @Test
    void garbageAndAHandshakeCutShortCloseOnlyThatConnection() throws Exception {
        try (RespConnection bystander = connect("client")) {
            assertThat(bystander.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            // Random bytes that start like a TLS record.
            try (Socket s = new Socket("127.0.0.1", tlsPort)) {
                s.setSoTimeout(10_000);
                byte[] garbage = new byte[2000];
                new Random(42).nextBytes(garbage);
                garbage[0] = 22;
                garbage[1] = 3;
                garbage[2] = 3;
                s.getOutputStream().write(garbage);
                byte[] got = readUntilClosed(s.getInputStream());
                assertThat(got.length == 0 || got[0] == 21).as("closed, with at most an alert").isTrue();
            }
            // Half of a real ClientHello, then the client goes away.
            byte[] hello = clientHello();
            try (Socket s = new Socket("127.0.0.1", tlsPort)) {
                s.getOutputStream().write(hello, 0, hello.length / 2);
                s.getOutputStream().flush();
            }
            // Half of one, and the client waits: the server keeps waiting too without harm to others.
            try (Socket stalled = new Socket("127.0.0.1", tlsPort)) {
                stalled.getOutputStream().write(hello, 0, hello.length / 2);
                assertThat(bystander.call("GET", "k")).isEqualTo(bulk("v"));
                try (RespConnection another = connect("client")) {
                    assertThat(another.call("GET", "k")).isEqualTo(bulk("v"));
                }
            }
            assertThat(bystander.call("GET", "k")).isEqualTo(bulk("v"));
        }
    }

    private static byte[] clientHello() throws Exception {
        SSLEngine engine = certs.clientContext("ca", null).createSSLEngine("127.0.0.1", tlsPort);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        assertThat(bytes.length).isGreaterThan(100);
        return bytes;
    }

    @Test
    void anHttpRequestOverTlsClosesTheConnection() throws Exception {
        try (SSLSocket s = handshake(tlsPort, "ca", "client")) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nSET attacked yes\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(new String(readUntilClosed(s.getInputStream()), StandardCharsets.US_ASCII)).doesNotContain("+OK");
        }
        try (RespConnection c = connect("client")) {
            assertThat(c.call("EXISTS", "attacked")).isEqualTo(":0\r\n");
        }
    }

    /**
     * A connection refused as it opens gets its one error line encrypted, after the handshake: the
     * path protected mode's -DENIED takes too (tests reach Panda from loopback only, which
     * protected mode always lets in).
     */
    @Test
    void aRefusalAtConnectIsSentOverTls() throws Exception {
        try (RespConnection first = connect("client")) {
            assertThat(first.call("CONFIG", "SET", "maxclients", "1")).isEqualTo("+OK\r\n");
            try (SSLSocket second = handshake(tlsPort, "ca", "client")) {
                assertThat(new String(readUntilClosed(second.getInputStream()), StandardCharsets.US_ASCII))
                        .isEqualTo("-ERR max number of clients reached\r\n");
            }
            assertThat(first.call("CONFIG", "SET", "maxclients", "10000")).isEqualTo("+OK\r\n");
        }
    }

    /** A client that stops reading is paused, and resumes once it reads (the decoder sits behind the TLS handler). */
    @Test
    void aPausedClientResumesOverTls() throws Exception {
        try (SSLSocket s = handshake(tlsPort, "ca", "client"); RespConnection c = new RespConnection(s)) {
            String big = "x".repeat(1 << 20);
            assertThat(c.call("SET", "big", big)).isEqualTo("+OK\r\n");
            int gets = 40; // 40 MB of replies, far past the 4 MB at which Panda stops reading from this client
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (int i = 0; i < gets; i++) {
                pipeline.writeBytes(RespConnection.encode("GET", "big"));
            }
            pipeline.writeBytes(RespConnection.encode("PING"));
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(pipeline.toByteArray());
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            Thread.sleep(300);
            for (int i = 0; i < gets; i++) {
                assertThat(c.readReply()).as("reply %d", i).hasSize(big.length() + 12); // $1048576\r\n...\r\n
            }
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            writer.join(10_000);
        }
    }

    // ---- against real Redis ------------------------------------------------------------------

    @Test
    void defaultsErrorsAndPlainTextRefusalMatchRealRedis() throws Exception {
        int redisTls = freePort();
        try (RealRedis redis = RealRedis.startOrSkip("--tls-port", Integer.toString(redisTls), "--tls-cert-file",
                certs.path("server.crt"), "--tls-key-file", certs.path("server.key"), "--tls-ca-cert-file", certs.path("ca.crt"));
             RespConnection r = new RespConnection(redis.port);
             RespConnection p = connect("client")) {
            for (String directive : List.of("tls-auth-clients", "tls-protocols", "tls-ciphers", "tls-ciphersuites",
                    "tls-prefer-server-ciphers", "tls-session-caching", "tls-session-cache-size", "tls-session-cache-timeout",
                    "tls-key-file-pass", "tls-ca-cert-dir", "tls-client-cert-file", "tls-client-key-file",
                    "tls-client-key-file-pass", "tls-cert-file", "tls-key-file", "tls-ca-cert-file")) {
                assertThat(p.call("CONFIG", "GET", directive)).as(directive).isEqualTo(r.call("CONFIG", "GET", directive));
            }
            for (String[] set : List.of(new String[] {"tls-cert-file", certs.path("missing.crt")},
                    new String[] {"tls-key-file", certs.path("second.key")},
                    new String[] {"tls-ca-cert-file", certs.path("missing-ca.crt")},
                    new String[] {"tls-protocols", "TLSv9"},
                    new String[] {"tls-auth-clients", "maybe"})) {
                assertThat(p.call("CONFIG", "SET", set[0], set[1])).as(String.join(" ", set))
                        .isEqualTo(r.call("CONFIG", "SET", set[0], set[1]));
            }
            // Redis's tls-port listener on a taken port: the same error.
            try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                String port = Integer.toString(taken.getLocalPort());
                assertThat(p.call("CONFIG", "SET", "tls-port", port)).isEqualTo(r.call("CONFIG", "SET", "tls-port", port));
            }
            assertPlainTextRefused(redisTls);
            // Redis accepts redis-cli --tls with the same certificates: the test's certificates are sound.
            RedisToolsIT.requireTool("redis-cli", "redis-tools");
            assertThat(tool("redis-cli", certs.toolFlags(true), redisTls, "PING").output()).isEqualTo("PONG\n");
            assertThat(tool("redis-cli", certs.toolFlags(false), redisTls, "PING").output()).doesNotContain("PONG");
        }
    }
}
