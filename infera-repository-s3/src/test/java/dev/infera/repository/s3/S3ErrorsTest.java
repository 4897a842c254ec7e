package dev.infera.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class S3ErrorsTest {
  private static final S3Location LOCATION = S3Location.parse("s3://127.0.0.1:9000/models/repo");

  @Test
  void missingCredentialsAreNamedWithWhereToSetThem() {
    SdkClientException chain =
        SdkClientException.create(
            "Unable to load credentials from any of the providers in the chain"
                + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
                + " EnvironmentVariableCredentialsProvider()]) : [SystemPropertyCredentialsProvider():"
                + " Unable to load credentials from system settings.]");

    assertThat(S3Errors.describe(LOCATION, "list", chain).getMessage())
        .isEqualTo(
            "model repository s3://127.0.0.1:9000/models/repo/: cannot list: no credentials found"
                + " (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; an"
                + " S3-compatible server takes its own access key the same way)");
  }

  @Test
  void aStorageThatDoesNotAnswerIsSaidSoWithTheClientsReason() {
    SdkClientException refused =
        SdkClientException.create("Unable to execute HTTP request: Connection refused");

    assertThat(S3Errors.describe(LOCATION, "list", refused).getMessage())
        .isEqualTo(
            "model repository s3://127.0.0.1:9000/models/repo/: cannot list: no answer from the"
                + " storage (Unable to execute HTTP request: Connection refused)");
  }
}
