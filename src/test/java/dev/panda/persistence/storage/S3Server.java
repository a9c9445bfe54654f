package dev.panda.persistence.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: s3proxy in this JVM on 127.0.0.1 and an ephemeral
 * port, storing objects in a directory (so a restarted server sees the same bucket), with AWS
 * signature checks on and one identity. Also a plain SDK client to look into the bucket.
 * Test thread; s3proxy serves on its own Jetty threads.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "panda-test";
    public static final String SECRET_KEY = "panda-test-secret";

    private final Path root;
    private final S3Proxy proxy;
    private final S3Client client;

    /** Starts a server on a new directory with {@code buckets} created. */
    public static S3Server start(String... buckets) throws Exception {
        S3Server s = new S3Server(Files.createTempDirectory("s3proxy"), 0);
        for (String b : buckets) {
            s.client.createBucket(r -> r.bucket(b));
        }
        return s;
    }

    /**
     * As {@link #start(String...)}, for servers started in this JVM: they get credentials from
     * the SDK's default chain, whose first source is these system properties.
     */
    public static S3Server startForInProcessServers(String... buckets) throws Exception {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return start(buckets);
    }

    /** Starts a server on {@code root}, on {@code port} (0: any). */
    public static S3Server start(Path root, int port) throws Exception {
        return new S3Server(root, port);
    }

    private S3Server(Path root, int port) throws Exception {
        this.root = root;
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(100)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        client = S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    public Path root() {
        return root;
    }

    public S3Client client() {
        return client;
    }

    /** The keys in {@code bucket} under {@code prefix}, in name order. */
    public List<String> keys(String bucket, String prefix) {
        return client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** Settings for a {@link S3BlobStore} on this server. */
    public S3Settings settings(String bucket, String prefix) {
        return new S3Settings(bucket, "us-east-1", endpoint(), true, prefix, java.time.Duration.ofSeconds(2));
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
