package dev.infera.spi;

import java.util.Objects;

/**
 * The one exception type Infera uses for failures that reach a client. It carries an {@link
 * ErrorCode} and a message meant for the client: it names what was wrong and what was expected, and
 * never contains a stack trace or internal detail.
 */
public class InferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public InferenceException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public InferenceException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public static InferenceException invalidArgument(String message) {
    return new InferenceException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static InferenceException notFound(String message) {
    return new InferenceException(ErrorCode.NOT_FOUND, message);
  }

  public static InferenceException unavailable(String message) {
    return new InferenceException(ErrorCode.UNAVAILABLE, message);
  }

  public static InferenceException internal(String message, Throwable cause) {
    return new InferenceException(ErrorCode.INTERNAL, message, cause);
  }
}
