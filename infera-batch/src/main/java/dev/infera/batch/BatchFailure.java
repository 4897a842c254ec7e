package dev.infera.batch;

/** A job that stopped: its message says why, for the person who started it. */
public final class BatchFailure extends RuntimeException {
  private final boolean cancelled;

  public BatchFailure(String message, boolean cancelled) {
    super(message);
    this.cancelled = cancelled;
  }

  BatchFailure(String message, Throwable cause) {
    super(message, cause);
    this.cancelled = false;
  }

  /** Whether it stopped because it was cancelled. */
  public boolean cancelled() {
    return cancelled;
  }
}
