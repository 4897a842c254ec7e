package dev.infera.repository.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * A bucket on a real S3 API server (S3Proxy, started by the test) and an uploader for it, which
 * writes objects the way a user's {@code aws s3 cp} would.
 */
public final class TestBucket implements AutoCloseable {
  public static final String BUCKET = "models";

  private final URI endpoint;
  private final StaticCredentialsProvider credentials;
  private final S3Client client;

  /** A real S3 API server for one test (register it with {@code @RegisterExtension}). */
  public static S3ProxyExtension server() {
    return S3ProxyExtension.builder()
        .withBlobStoreProvider("transient")
        .withCredentials("access", "secret")
        .build();
  }

  /** A bucket on the server the extension started for the running test. */
  public static TestBucket on(S3ProxyExtension server) {
    return new TestBucket(server.getUri(), server.getAccessKey(), server.getSecretKey());
  }

  public TestBucket(URI endpoint, String accessKey, String secretKey) {
    this.endpoint = endpoint;
    this.credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    this.client = S3Repositories.client(location(""), credentials);
    client.createBucket(request -> request.bucket(BUCKET));
  }

  /** {@code s3://host:port/models/<prefix>}. */
  public S3Location location(String prefix) {
    return location(BUCKET, prefix);
  }

  /** {@code s3://host:port/<bucket>/<prefix>}. */
  public S3Location location(String bucket, String prefix) {
    return S3Location.parse(
        "s3://" + endpoint.getHost() + ":" + endpoint.getPort() + "/" + bucket + "/" + prefix);
  }

  public void deleteBucket() {
    client.deleteBucket(request -> request.bucket(BUCKET));
  }

  public StaticCredentialsProvider credentials() {
    return credentials;
  }

  public void put(String key, byte[] content) {
    client.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
  }

  public void put(String key, String content) {
    put(key, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Uploads every file below {@code folder} under {@code prefix}. */
  public void putFolder(Path folder, String prefix) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        put(
            prefix + folder.relativize(file).toString().replace('\\', '/'),
            Files.readAllBytes(file));
      }
    }
  }

  /**
   * Makes the keys under {@code prefix} match the files below {@code folder}: uploads each file (an
   * unchanged one keeps its entity tag), then deletes the keys whose file is gone.
   */
  public void sync(Path folder, String prefix) throws java.io.IOException {
    putFolder(folder, prefix);
    java.util.Set<String> present = new java.util.HashSet<>();
    try (Stream<Path> files = Files.walk(folder)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              file -> present.add(prefix + folder.relativize(file).toString().replace('\\', '/')));
    }
    var gone =
        client
            .listObjectsV2Paginator(request -> request.bucket(BUCKET).prefix(prefix))
            .contents()
            .stream()
            .filter(object -> !present.contains(object.key()))
            .map(object -> ObjectIdentifier.builder().key(object.key()).build())
            .toList();
    if (!gone.isEmpty()) {
      client.deleteObjects(request -> request.bucket(BUCKET).delete(d -> d.objects(gone)));
    }
  }

  /** Deletes every object whose key starts with {@code prefix}. */
  public void deleteAll(String prefix) {
    var keys =
        client
            .listObjectsV2Paginator(request -> request.bucket(BUCKET).prefix(prefix))
            .contents()
            .stream()
            .map(object -> ObjectIdentifier.builder().key(object.key()).build())
            .toList();
    if (!keys.isEmpty()) {
      client.deleteObjects(request -> request.bucket(BUCKET).delete(d -> d.objects(keys)));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
