package dev.infera.core.scheduling;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import dev.infera.spi.Tensor;
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

  /** When the queue timeout passes, in ticker nanoseconds; meaningful when hasDeadline. */
  final long deadlineNanos;

  final long timeoutNanos;
  final TimeoutAction timeoutAction;
  final int level;

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
      int level,
      boolean mergeable,
      Consumer<QueuedRequest> onCancel) {
    this.request = request;
    this.future = new RequestFuture(this, onCancel);
    this.enqueueNanos = enqueueNanos;
    this.timeoutNanos = timeoutNanos;
    this.deadlineNanos = enqueueNanos + timeoutNanos;
    this.timeoutAction = timeoutAction;
    this.level = level;
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
    return timeoutNanos > 0;
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
