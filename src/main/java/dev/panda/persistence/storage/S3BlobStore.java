package dev.panda.persistence.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The {@link BlobStore} in an S3 bucket (AWS or an S3-compatible store), through the AWS SDK v2's
 * synchronous client over Apache HttpClient 5. Files up to {@value #MULTIPART_THRESHOLD_MIB} MiB
 * go up in one PutObject; larger ones as a multipart upload of {@value #PART_MIB} MiB parts
 * (aborted on failure, so no orphaned parts are billed). With {@code s3-sse} both ask S3 for
 * server-side encryption ({@code x-amz-server-side-encryption}, and the KMS key id for
 * {@code aws:kms}); Panda's own encryption at rest, when on, has encrypted the files already.
 *
 * <p>Every call is bounded: connect timeout, socket timeout, a timeout per attempt and per call,
 * and two attempts, because the SDK's defaults wait two minutes on a server that accepts a
 * connection and never answers. Failures become {@link StorageException}s that say what is wrong
 * (missing bucket, credentials, region) or that S3 is unreachable.
 *
 * <p>Threads: the start-up thread and the uploader thread; the SDK client is thread-safe.
 */
public final class S3BlobStore implements BlobStore {
    static final int MULTIPART_THRESHOLD_MIB = 16;
    static final int PART_MIB = 8;

    private final S3Settings settings;
    private final S3Client s3;
    /** Multipart uploads whose abort failed (S3 was down): {key, uploadId}, aborted at the next put. */
    private final java.util.Queue<String[]> unaborted = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public S3BlobStore(S3Settings settings) {
        this.settings = settings;
        java.time.Duration connect = settings.timeout().compareTo(java.time.Duration.ofSeconds(2)) < 0
                ? settings.timeout() : java.time.Duration.ofSeconds(2);
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(settings.pathStyle())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(connect)
                        .socketTimeout(settings.timeout())
                        .connectionAcquisitionTimeout(settings.timeout())
                        .maxConnections(4))
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(settings.timeout().multipliedBy(3))
                        .apiCallTimeout(settings.timeout().multipliedBy(7))
                        .retryStrategy(r -> r.maxAttempts(2)));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.s3 = builder.build();
    }

    @Override
    public void put(String name, Path file) throws StorageException {
        String key = settings.prefix() + name;
        try {
            abortLeftovers();
            long size = Files.size(file);
            if (size <= (long) MULTIPART_THRESHOLD_MIB << 20) {
                s3.putObject(b -> {
                    b.bucket(settings.bucket()).key(key);
                    if (!settings.sse().isEmpty()) {
                        b.serverSideEncryption(settings.sse());
                        if (!settings.sseKmsKeyId().isEmpty()) {
                            b.ssekmsKeyId(settings.sseKmsKeyId());
                        }
                    }
                }, RequestBody.fromFile(file));
            } else {
                putMultipart(key, file, size);
            }
        } catch (SdkException e) {
            throw translate("PUT " + key, e);
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.OTHER, "cannot read " + file + " to upload it: " + e, e);
        }
    }

    private void putMultipart(String key, Path file, long size) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> {
            b.bucket(settings.bucket()).key(key);
            if (!settings.sse().isEmpty()) {
                b.serverSideEncryption(settings.sse());
                if (!settings.sseKmsKeyId().isEmpty()) {
                    b.ssekmsKeyId(settings.sseKmsKeyId());
                }
            }
        }).uploadId();
        boolean done = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int partBytes = PART_MIB << 20;
            ByteBuffer buffer = ByteBuffer.allocate(partBytes);
            List<CompletedPart> parts = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < size; number++) {
                buffer.clear();
                buffer.limit((int) Math.min(partBytes, size - offset));
                while (buffer.hasRemaining()) {
                    if (ch.read(buffer, offset + buffer.position()) < 0) {
                        throw new IOException(file + " shrank while it was uploaded");
                    }
                }
                buffer.flip();
                int partNumber = number;
                UploadPartResponse response = s3.uploadPart(b -> b.bucket(settings.bucket()).key(key)
                        .uploadId(uploadId).partNumber(partNumber), RequestBody.fromByteBuffer(buffer));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                        .checksumCRC32(response.checksumCRC32()).build());
                offset += buffer.limit();
            }
            s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            done = true;
        } finally {
            if (!done) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException e) {
                    unaborted.add(new String[] {key, uploadId}); // S3 is failing: abort once it answers
                }
            }
        }
    }

    /** Aborts the multipart uploads left open by an outage, so their parts are not billed forever. */
    private void abortLeftovers() {
        for (String[] u; (u = unaborted.peek()) != null; unaborted.poll()) {
            String[] upload = u;
            try {
                s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(upload[0]).uploadId(upload[1]));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e; // still failing; 404 (NoSuchUpload) means it is gone already
                }
            }
        }
    }

    @Override
    public void get(String name, Path target) throws StorageException {
        String key = settings.prefix() + name;
        try {
            Files.deleteIfExists(target);
            s3.getObject(b -> b.bucket(settings.bucket()).key(key), ResponseTransformer.toFile(target));
        } catch (SdkException e) {
            throw translate("GET " + key, e);
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.OTHER, "cannot write " + target + ": " + e, e);
        }
    }

    @Override
    public List<Blob> list(String prefix) throws StorageException {
        String full = settings.prefix() + prefix;
        List<Blob> out = new ArrayList<>();
        try {
            String token = null;
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(full);
                if (token != null) {
                    req.continuationToken(token);
                }
                ListObjectsV2Response page = s3.listObjectsV2(req.build());
                for (S3Object o : page.contents()) {
                    out.add(new Blob(o.key().substring(settings.prefix().length()), o.size()));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw translate("LIST " + full, e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public void delete(Collection<String> names) throws StorageException {
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (String name : names) {
            ids.add(ObjectIdentifier.builder().key(settings.prefix() + name).build());
        }
        try {
            for (int from = 0; from < ids.size(); from += 1000) {
                List<ObjectIdentifier> batch = ids.subList(from, Math.min(ids.size(), from + 1000));
                s3.deleteObjects(b -> b.bucket(settings.bucket())
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
            }
        } catch (SdkException e) {
            throw translate("DELETE", e);
        }
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public String describe() {
        return "S3 (" + settings.describe() + ")";
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Says what the operator should know about a failed call. */
    StorageException translate(String call, SdkException e) {
        String where = "S3 bucket '" + settings.bucket() + "' (region " + settings.region()
                + (settings.endpoint() != null ? ", endpoint " + settings.endpoint() : "") + ")";
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
            String detail = s.awsErrorDetails() != null ? s.awsErrorDetails().errorMessage() : s.getMessage();
            int status = s.statusCode();
            if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
                return new StorageException(StorageException.Kind.NO_BUCKET, where + " does not exist", e);
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)
                    || "InvalidToken".equals(code) || "ExpiredToken".equals(code) || status == 403) {
                return new StorageException(StorageException.Kind.CREDENTIALS, where + " refused the credentials ("
                        + code + ": " + detail + "); they come from the AWS default chain: AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY, a profile, or an instance role", e);
            }
            if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)
                    || "IllegalLocationConstraintException".equals(code) || status == 301) {
                Optional<String> actual = s.awsErrorDetails() != null && s.awsErrorDetails().sdkHttpResponse() != null
                        ? s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region") : Optional.empty();
                return new StorageException(StorageException.Kind.REGION, where + " is in another region"
                        + actual.map(r -> ": " + r).orElse("") + " (" + code + "); set s3-region", e);
            }
            if (status >= 500) {
                return new StorageException(StorageException.Kind.UNREACHABLE, where + " failed: " + call + ": HTTP "
                        + status + " " + code, e);
            }
            return new StorageException(StorageException.Kind.OTHER, where + " refused " + call + ": HTTP " + status
                    + " " + code + ": " + detail, e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("credentials")) {
            return new StorageException(StorageException.Kind.CREDENTIALS, "no AWS credentials for " + where + ": "
                    + e.getMessage(), e);
        }
        String why = e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                ? "timed out" : "unreachable";
        return new StorageException(StorageException.Kind.UNREACHABLE, where + " " + why + ": " + call + ": "
                + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
