package dev.infera.repository.s3;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens {@link S3ModelRepository S3 repositories}: builds the client and mirrors the bucket once.
 */
public final class S3Repositories {
  /** Used when no region is configured for an S3-compatible endpoint (most ignore it). */
  static final Region FALLBACK_REGION = Region.US_EAST_1;

  private S3Repositories() {}

  /**
   * Opens a repository with the SDK's default credentials chain (environment, system properties,
   * profile, container and instance roles) and region chain, and mirrors what has settled: at start
   * the bucket is listed, and listed again after {@code settle} when anything was still changing.
   *
   * @param cache the local folder the models are mirrored into (created if missing)
   * @param settle how long a folder's listing must stay the same before it is mirrored
   * @throws S3RepositoryException when the bucket cannot be listed or read (message says why)
   */
  public static S3ModelRepository open(S3Location location, Path cache, Duration settle) {
    return open(
        location, cache, settle, DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
  }

  /** {@link #open(S3Location, Path, Duration)} with explicit credentials and clock. */
  public static S3ModelRepository open(
      S3Location location,
      Path cache,
      Duration settle,
      AwsCredentialsProvider credentials,
      Clock clock) {
    S3ModelRepository repository =
        new S3ModelRepository(
            location, client(location, credentials), cache, new SettleRule(clock, settle));
    try {
      repository.refresh();
      Thread.sleep(settle.toMillis());
      repository.refresh();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      repository.close();
      throw new IllegalStateException("interrupted while mirroring " + location, e);
    } catch (RuntimeException e) {
      repository.close();
      throw e;
    }
    return repository;
  }

  static S3Client client(S3Location location, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(credentials)
            .region(region(location));
    location
        .endpoint()
        .ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
    return builder.build();
  }

  private static Region region(S3Location location) {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      if (location.endpoint().isPresent()) {
        return FALLBACK_REGION;
      }
      throw new IllegalArgumentException(
          "model repository " + location + ": no AWS region configured (set AWS_REGION)", e);
    }
  }
}
