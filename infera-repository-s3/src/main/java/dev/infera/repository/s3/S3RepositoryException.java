package dev.infera.repository.s3;

/** The bucket could not be listed or read; the message says what to check. */
public final class S3RepositoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  S3RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
