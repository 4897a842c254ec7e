package dev.infera.backend.python;

/** A worker call that did not answer normally: the worker reported an error, died or hung. */
final class WorkerException extends Exception {
  private static final long serialVersionUID = 1L;

  enum Kind {
    /** The worker answered with an error; it is still usable. */
    REPORTED,
    /** The worker process exited or closed its pipe. */
    DIED,
    /** The worker did not answer in time. */
    TIMED_OUT
  }

  private final Kind kind;
  private final String code;

  WorkerException(Kind kind, String code, String message) {
    super(message);
    this.kind = kind;
    this.code = code;
  }

  Kind kind() {
    return kind;
  }

  /** The error code name the worker reported ({@code INTERNAL}, {@code INVALID_ARGUMENT}...). */
  String code() {
    return code;
  }
}
