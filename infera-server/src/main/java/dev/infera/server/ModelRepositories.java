package dev.infera.server;

import dev.infera.core.repository.LocalModelRepository;
import dev.infera.core.repository.ModelRepository;
import dev.infera.repository.s3.S3Location;
import dev.infera.repository.s3.S3Repositories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens what {@code --model-repository} names: a local folder, or an S3-compatible bucket ({@code
 * s3://bucket/prefix}, {@code s3://host:port/bucket/prefix}) mirrored into a local cache folder.
 */
public final class ModelRepositories {
  /** A URL scheme other than s3 (Triton also reads gs:// and as://), not a folder's name. */
  private static final Pattern OTHER_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*)://");

  private ModelRepositories() {}

  /**
   * Settings for S3 repositories.
   *
   * @param cache the folder bucket contents are mirrored into
   * @param settle how long a version's listing must stay unchanged before it is mirrored
   */
  public record S3Settings(Path cache, Duration settle) {}

  /** Whether {@code location} names an S3 bucket rather than a folder. */
  public static boolean isRemote(String location) {
    return S3Location.isS3(location);
  }

  /**
   * Opens the repository; an S3 one is listed and its settled versions mirrored before this
   * returns. Close the result after the server when it is {@link AutoCloseable}.
   *
   * @throws IllegalArgumentException for a malformed location or a missing folder
   * @throws dev.infera.repository.s3.S3RepositoryException when the bucket cannot be read
   */
  public static ModelRepository open(String location, S3Settings s3) {
    if (isRemote(location)) {
      return S3Repositories.open(S3Location.parse(location), s3.cache(), s3.settle());
    }
    Matcher scheme = OTHER_SCHEME.matcher(location);
    if (scheme.find()) {
      throw new IllegalArgumentException(
          "model repository '"
              + location
              + "': "
              + scheme.group(1)
              + ":// repositories are not supported (expected a folder, s3://bucket/prefix or"
              + " s3://host:port/bucket/prefix; copy the models to one of those)");
    }
    return new LocalModelRepository(Path.of(location));
  }
}
