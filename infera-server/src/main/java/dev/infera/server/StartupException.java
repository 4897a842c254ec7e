package dev.infera.server;

/**
 * The server could not start: an endpoint could not listen or its TLS files do not work together,
 * or (with {@code --exit-on-error}) a model failed to load. The message says what and which flag to
 * change; it is what the command line prints.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message) {
    super(message);
  }

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
