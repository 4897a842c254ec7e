package dev.infera.repository.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns the SDK's exceptions into messages that say what failed and what to check. */
final class S3Errors {
  private S3Errors() {}

  static S3RepositoryException describe(S3Location location, String action, SdkException e) {
    String what = "model repository " + location + ": cannot " + action + ": ";
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? "" : " " + s3.awsErrorDetails().errorCode();
      String hint =
          switch (s3.statusCode()) {
            case 401, 403 ->
                "access denied. Check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " AWS_PROFILE, or the pod's role) and that they may list and read the bucket";
            case 404 -> "the bucket '" + location.bucket() + "' does not exist";
            case 301, 400 -> "the request was refused; check the region (AWS_REGION) and endpoint";
            default -> "the storage answered an error";
          };
      return new S3RepositoryException(what + hint + " (HTTP " + s3.statusCode() + code + ")", e);
    }
    if (e instanceof SdkClientException
        && String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
      return new S3RepositoryException(
          what
              + "no credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
              + " AWS_PROFILE; an S3-compatible server takes its own access key the same way)",
          e);
    }
    if (e instanceof SdkClientException) {
      return new S3RepositoryException(
          what + "no answer from the storage (" + firstLine(e.getMessage()) + ")", e);
    }
    return new S3RepositoryException(what + firstLine(e.getMessage()), e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
