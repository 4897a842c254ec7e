package dev.infera.repository.s3;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a repository lives in S3, in Triton's syntax: {@code s3://bucket/prefix} for AWS (region
 * and credentials from the SDK's default chains), {@code s3://host:port/bucket/prefix} for an
 * S3-compatible endpoint over HTTP (path-style addressing), and {@code
 * s3://https://host:port/bucket/prefix} for one over HTTPS.
 *
 * @param endpoint the endpoint of an S3-compatible service; empty for AWS
 * @param bucket the bucket
 * @param prefix the key prefix of the repository, empty or ending with {@code /}
 */
public record S3Location(Optional<URI> endpoint, String bucket, String prefix) {
  private static final String SCHEME = "s3://";
  private static final Pattern WITH_ENDPOINT =
      Pattern.compile("(?:(https?)://)?([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]):([0-9]{1,5})/(.*)");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-_]{1,254}");

  public S3Location {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
  }

  /** Whether a {@code --model-repository} value names an S3 location. */
  public static boolean isS3(String location) {
    return location.startsWith(SCHEME);
  }

  /**
   * Parses {@code s3://[http(s)://host:port/]bucket[/prefix]}.
   *
   * @throws IllegalArgumentException naming what is wrong and the expected form
   */
  public static S3Location parse(String location) {
    if (!isS3(location)) {
      throw invalid(location, "it does not start with s3://");
    }
    String rest = location.substring(SCHEME.length());
    Optional<URI> endpoint = Optional.empty();
    Matcher matcher = WITH_ENDPOINT.matcher(rest);
    if (matcher.matches()) {
      int port = Integer.parseInt(matcher.group(3));
      if (port < 1 || port > 65535) {
        throw invalid(location, "port " + port + " is outside 1 to 65535");
      }
      String scheme = matcher.group(1) == null ? "http" : matcher.group(1);
      endpoint = Optional.of(URI.create(scheme + "://" + matcher.group(2) + ":" + port));
      rest = matcher.group(4);
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!BUCKET.matcher(bucket).matches()) {
      throw invalid(location, "'" + bucket + "' is not a bucket name");
    }
    if (prefix.startsWith("/") || prefix.contains("//")) {
      throw invalid(location, "the prefix '" + prefix + "' has an empty path segment");
    }
    return new S3Location(endpoint, bucket, prefix);
  }

  private static IllegalArgumentException invalid(String location, String why) {
    return new IllegalArgumentException(
        "model repository '"
            + location
            + "': "
            + why
            + " (expected s3://bucket/prefix or s3://host:port/bucket/prefix)");
  }

  @Override
  public String toString() {
    // as written: s3://host:port/... for HTTP, s3://https://host:port/... for HTTPS
    return SCHEME
        + endpoint
            .map(
                uri ->
                    ("https".equals(uri.getScheme()) ? "https://" : "") + uri.getAuthority() + "/")
            .orElse("")
        + bucket
        + "/"
        + prefix;
  }
}
