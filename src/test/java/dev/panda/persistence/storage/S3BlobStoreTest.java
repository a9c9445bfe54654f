package dev.panda.persistence.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link S3BlobStore} against a real S3-compatible server (s3proxy, in this JVM): round trips,
 * multipart uploads, listing, deletion, and the errors an operator gets for a missing bucket,
 * wrong credentials, nothing listening and a server that never answers.
 */
class S3BlobStoreTest {
    private static S3Server s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
        s3 = S3Server.start("blobs");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void putGetListDeleteUnderAPrefix() throws Exception {
        try (S3BlobStore store = new S3BlobStore(s3.settings("blobs", "p1/"))) {
            Path small = file("small", 1000);
            store.put("snapshots/a", small);
            store.put("wal/b", file("b", 10));
            assertThat(s3.keys("blobs", "p1/")).containsExactly("p1/snapshots/a", "p1/wal/b");
            assertThat(store.list("snapshots/")).containsExactly(new BlobStore.Blob("snapshots/a", 1000));
            Path back = dir.resolve("back");
            store.get("snapshots/a", back);
            assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(small));
            store.delete(List.of("snapshots/a", "wal/b", "wal/missing"));
            assertThat(store.list("")).isEmpty();
            assertThat(store.describe()).isEqualTo("S3 (blobs/p1/, us-east-1, " + s3.endpoint() + ")");
        }
    }

    @Test
    void largeFilesGoUpInPartsAndComeBackWhole() throws Exception {
        try (S3BlobStore store = new S3BlobStore(s3.settings("blobs", "big/"))) {
            Path big = file("big", (S3BlobStore.MULTIPART_THRESHOLD_MIB << 20) + (3 << 20) + 17);
            store.put("snapshots/big", big);
            Path back = dir.resolve("big-back");
            store.get("snapshots/big", back);
            assertThat(Files.mismatch(big, back)).isEqualTo(-1);
            assertThat(s3.client().listMultipartUploads(r -> r.bucket("blobs")).uploads()).isEmpty();
            store.delete(List.of("snapshots/big"));
        }
    }

    @Test
    void missingBucketIsNamed() {
        try (S3BlobStore store = new S3BlobStore(s3.settings("no-such-bucket", ""))) {
            assertThatThrownBy(() -> store.list("snapshots/"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NO_BUCKET))
                    .hasMessageContaining("S3 bucket 'no-such-bucket'").hasMessageContaining("does not exist");
        }
    }

    @Test
    void wrongCredentialsAreNamed() {
        String saved = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "wrong");
        try (S3BlobStore store = new S3BlobStore(s3.settings("blobs", ""))) {
            assertThatThrownBy(() -> store.list("snapshots/"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CREDENTIALS))
                    .hasMessageContaining("refused the credentials").hasMessageContaining("AWS_ACCESS_KEY_ID");
        } finally {
            System.setProperty("aws.secretAccessKey", saved);
        }
    }

    @Test
    void aBucketInAnotherRegionIsNamedWithItsRegion() {
        // s3proxy has no regions: this is the reply AWS gives (301 PermanentRedirect with the
        // bucket's region in a header), built as a value and classified.
        software.amazon.awssdk.services.s3.model.S3Exception redirect = (software.amazon.awssdk.services.s3.model.S3Exception)
                software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(301)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode("PermanentRedirect").errorMessage("The bucket you are attempting to access must be addressed using the specified endpoint.")
                                .sdkHttpResponse(software.amazon.awssdk.http.SdkHttpResponse.builder().statusCode(301)
                                        .putHeader("x-amz-bucket-region", "eu-west-1").build())
                                .build())
                        .build();
        try (S3BlobStore store = new S3BlobStore(s3.settings("blobs", ""))) {
            StorageException e = store.translate("LIST snapshots/", redirect);
            assertThat(e.kind()).isEqualTo(StorageException.Kind.REGION);
            assertThat(e).hasMessage("S3 bucket 'blobs' (region us-east-1, endpoint " + s3.endpoint()
                    + ") is in another region: eu-west-1 (PermanentRedirect); set s3-region");
        }
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        S3Settings settings = new S3Settings("blobs", "us-east-1", URI.create("http://127.0.0.1:" + port), true, "",
                Duration.ofMillis(500));
        try (S3BlobStore store = new S3BlobStore(settings)) {
            assertThatThrownBy(() -> store.list("snapshots/"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNREACHABLE));
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheBound() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            S3Settings settings = new S3Settings("blobs", "us-east-1",
                    URI.create("http://127.0.0.1:" + silent.getLocalPort()), true, "", Duration.ofMillis(500));
            try (S3BlobStore store = new S3BlobStore(settings)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.put("wal/x", file("x", 10)))
                        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNREACHABLE));
                // bounded by the configured timeouts (7 x 500 ms per call), not the SDK's two minutes
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            }
        }
    }

    private static S3Settings withSse(S3Settings base, String sse, String kmsKeyId) {
        return new S3Settings(base.bucket(), base.region(), base.endpoint(), base.pathStyle(), base.prefix(),
                base.timeout(), sse, kmsKeyId);
    }

    /**
     * s3-sse reaches S3 on both upload paths: a stand-in endpoint records the first request of a
     * PutObject and of a multipart upload. (s3proxy cannot show it: it refuses SSE, see below.)
     */
    @Test
    void sseHeadersGoOnPutObjectAndOnMultipartCreate() throws Exception {
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            String sse = ex.getRequestHeaders().getFirst("x-amz-server-side-encryption");
            String kms = ex.getRequestHeaders().getFirst("x-amz-server-side-encryption-aws-kms-key-id");
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawQuery() + " sse=" + sse + " kms=" + kms);
            ex.getRequestBody().readAllBytes();
            byte[] body = "<Error><Code>NotImplemented</Code><Message>recorded</Message></Error>".getBytes();
            ex.sendResponseHeaders(501, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            S3Settings base = new S3Settings("b", "us-east-1", URI.create("http://127.0.0.1:" + http.getAddress().getPort()),
                    true, "", Duration.ofSeconds(2));
            try (S3BlobStore store = new S3BlobStore(withSse(base, "aws:kms", "arn:aws:kms:us-east-1:1:key/k1"))) {
                assertThatThrownBy(() -> store.put("small", file("small", 1000))).isInstanceOf(StorageException.class);
                assertThatThrownBy(() -> store.put("big", file("big", (S3BlobStore.MULTIPART_THRESHOLD_MIB << 20) + 1)))
                        .isInstanceOf(StorageException.class);
            }
            try (S3BlobStore store = new S3BlobStore(withSse(base, "AES256", ""))) {
                assertThatThrownBy(() -> store.put("small", file("small", 1000))).isInstanceOf(StorageException.class);
            }
            try (S3BlobStore store = new S3BlobStore(base)) {
                assertThatThrownBy(() -> store.put("small", file("small", 1000))).isInstanceOf(StorageException.class);
            }
        } finally {
            http.stop(0);
        }
        // PutObject has no query; CreateMultipartUpload is POST ?uploads
        assertThat(seen).contains("PUT null sse=aws:kms kms=arn:aws:kms:us-east-1:1:key/k1",
                "POST uploads sse=aws:kms kms=arn:aws:kms:us-east-1:1:key/k1",
                "PUT null sse=AES256 kms=null",
                "PUT null sse=null kms=null");
    }

    /** s3proxy 4.1.0 answers SSE headers with 501 NotImplemented: s3-sse cannot be used with it. */
    @Test
    void s3proxyRefusesServerSideEncryption() throws Exception {
        try (S3BlobStore store = new S3BlobStore(withSse(s3.settings("blobs", "sse/"), "AES256", ""))) {
            assertThatThrownBy(() -> store.put("o", file("o", 1000))).isInstanceOf(StorageException.class)
                    .hasMessageContaining("501 NotImplemented");
        }
    }
}
