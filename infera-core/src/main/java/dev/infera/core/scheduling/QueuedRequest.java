package dev.infera.core.scheduling;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A request accepted by a scheduler: what was asked, when, and where it waits. The immutable part
 * is set before the request is queued; the links are guarded by the scheduler's lock.
 */
final class QueuedRequest {
  final ScheduledRequest request;
  final RequestFuture future;
  final long enqueueNanos;

  /** The queue timeout its priority level's policy gives it, in nanoseconds; 0 for none. */
  final long timeoutNanos;

  /** The caller's own deadline, from the request's timeout, in nanoseconds; 0 for none. */
  final long callerTimeoutNanos;

  final int level;

  // The next expiry, guarded by the scheduler's lock; meaningful while expiryArmed.
  /** When the request next expires, in ticker nanoseconds. */
  long deadlineNanos;

  /** What happens when deadlineNanos passes; always REJECT for the caller's deadline. */
  TimeoutAction timeoutAction;

  /** Whether the next expiry is the caller's deadline rather than the queue timeout. */
  boolean expiresByCaller;

  /** Whether an expiry is pending (the request sits in the queue's deadline heap). */
  boolean expiryArmed;

  /** The inputs sorted by name; null when the request never shares a batch. */
  final Tensor[] sortedInputs;

  /** Null when the request never shares a batch. */
  final BatchKey key;

  /** The arrival number, for preserving response order. Guarded by the scheduler's lock. */
  long sequence;

  // Queue links, guarded by the scheduler's lock; list is null once the request left the queue.
  RequestList list;
  QueuedRequest prev;
  QueuedRequest next;
  boolean delayed;

  QueuedRequest(
      ScheduledRequest request,
      long enqueueNanos,
      long timeoutNanos,
      TimeoutAction timeoutAction,
      long callerTimeoutNanos,
      int level,
      boolean mergeable,
      Consumer<QueuedRequest> onCancel) {
    this.request = request;
    this.future = new RequestFuture(this, onCancel);
    this.enqueueNanos = enqueueNanos;
    this.timeoutNanos = timeoutNanos;
    this.callerTimeoutNanos = callerTimeoutNanos;
    this.level = level;
    if (callerTimeoutNanos > 0 && (timeoutNanos == 0 || callerTimeoutNanos <= timeoutNanos)) {
      armCallerDeadline();
    } else {
      this.deadlineNanos = enqueueNanos + timeoutNanos;
      this.timeoutAction = timeoutAction;
    }
    if (mergeable) {
      Tensor[] sorted = BatchKey.sortedByName(request.inputs());
      BatchKey batchKey = BatchKey.of(sorted, request.outputNames());
      this.sortedInputs = batchKey == null ? null : sorted;
      this.key = batchKey;
    } else {
      this.sortedInputs = null;
      this.key = null;
    }
  }

  boolean hasDeadline() {
    return timeoutNanos > 0 || callerTimeoutNanos > 0;
  }

  /**
   * Makes the caller's deadline the next expiry, once its queue timeout was handled by a DELAY.
   *
   * @return whether the request has a caller's deadline still to come
   */
  boolean armCallerDeadline() {
    if (callerTimeoutNanos == 0 || expiresByCaller) {
      return false;
    }
    deadlineNanos = enqueueNanos + callerTimeoutNanos;
    timeoutAction = TimeoutAction.REJECT;
    expiresByCaller = true;
    return true;
  }

  /** Why the request left the queue unexecuted when its expiry passed. */
  String expiryMessage(String label) {
    if (expiresByCaller) {
      return label
          + ": the request's deadline ("
          + Duration.ofNanos(callerTimeoutNanos).toMillis()
          + " ms) passed before it could execute";
    }
    return label
        + ": request timed out after waiting "
        + Duration.ofNanos(timeoutNanos).toMillis()
        + " ms in the queue";
  }

  boolean isQueued() {
    return list != null;
  }

  int rows() {
    return request.rows();
  }

  /** Whether this request may run in one batch with {@code first}. */
  boolean canJoin(QueuedRequest first) {
    return key != null && key.equals(first.key);
  }

  /** The future handed to the caller; cancelling it withdraws the request while still queued. */
  static final class RequestFuture extends CompletableFuture<ExecutionResult> {
    private final QueuedRequest owner;
    private final Consumer<QueuedRequest> onCancel;

    RequestFuture(QueuedRequest owner, Consumer<QueuedRequest> onCancel) {
      this.owner = owner;
      this.onCancel = onCancel;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        onCancel.accept(owner);
      }
      return cancelled;
    }
  }
}
