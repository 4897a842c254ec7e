package dev.infera.core.scheduling;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The queue of one scheduler and its batch-forming rule, free of threads and clocks: given the
 * queued requests and "now", {@link #poll} decides the next batch or how long to wait for one.
 *
 * <p>Order: priority level 1 first; within a level, arrival order, then the requests whose DELAY
 * timeout passed. A batch takes requests in that order, stops at the first that cannot join (other
 * non-batch dimensions or outputs, or too many rows), and never splits a request.
 *
 * <p>Not thread-safe: the scheduler calls it with its lock held.
 */
final class BatchQueue {
  private static final long WAIT_FOR_SIGNAL = -1;

  private final BatchPolicy policy;
  private final int capacity;
  private final long maxDelayNanos;
  private final Set<Integer> preferredRows;
  private final int largestPreferredRows;

  /** For level i: lists[2i] holds requests in arrival order, lists[2i+1] the delayed ones. */
  private final RequestList[] lists;

  private final PriorityQueue<QueuedRequest> deadlines =
      new PriorityQueue<>((a, b) -> Long.signum(a.deadlineNanos - b.deadlineNanos));
  private int size;

  /**
   * @param capacity the most requests queued over all levels, whatever the levels allow
   */
  BatchQueue(BatchPolicy policy, int capacity) {
    this.policy = policy;
    this.capacity = capacity;
    this.maxDelayNanos = QueuePolicy.saturatedNanos(policy.maxQueueDelay());
    this.preferredRows = Set.copyOf(policy.preferredBatchSizes());
    this.largestPreferredRows =
        policy.preferredBatchSizes().stream()
            .mapToInt(Integer::intValue)
            .max()
            .orElse(policy.maxBatchSize());
    this.lists = new RequestList[2 * policy.levelCount()];
    for (int i = 0; i < lists.length; i++) {
      lists[i] = new RequestList(i);
    }
  }

  /** What {@link #poll} decided. */
  record Poll(List<QueuedRequest> batch, int rows, List<QueuedRequest> expired, long waitNanos) {
    /** Whether a batch is ready to execute. */
    boolean hasBatch() {
      return !batch.isEmpty();
    }

    /** Whether to wait until signalled rather than for {@link #waitNanos}. */
    boolean waitsForSignal() {
      return waitNanos == WAIT_FOR_SIGNAL;
    }
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * Queues a request unless its level or the whole queue is full.
   *
   * @return 0 when queued, else the limit that was reached
   */
  int offer(QueuedRequest request) {
    if (size >= capacity) {
      return capacity;
    }
    int levelLimit = policy.queuePolicy(request.level).maxQueueSize();
    if (levelLimit > 0 && levelSize(request.level) >= levelLimit) {
      return levelLimit;
    }
    lists[2 * request.level].addLast(request);
    size++;
    if (request.hasDeadline()) {
      request.expiryArmed = true;
      deadlines.add(request);
    }
    return 0;
  }

  /** Removes a request that is still queued; returns whether it was. */
  boolean withdraw(QueuedRequest request) {
    if (!request.isQueued()) {
      return false;
    }
    unlink(request);
    return true;
  }

  /**
   * Applies the timeouts that passed by {@code now}, then forms the next batch if one is due.
   *
   * @param flush run what is queued without waiting for more (the scheduler is stopping)
   */
  Poll poll(long now, boolean flush) {
    List<QueuedRequest> expired = expire(now);
    QueuedRequest first = first();
    if (first == null) {
      return new Poll(List.of(), 0, expired, untilNextDeadline(now, WAIT_FOR_SIGNAL));
    }
    if (!policy.mergesRequests() || first.key == null) {
      unlink(first);
      return new Poll(List.of(first), first.rows(), expired, 0);
    }
    int rows = 0;
    int count = 0;
    int preferredCount = 0;
    boolean cannotGrow = false;
    long oldest = first.enqueueNanos;
    for (QueuedRequest next = first; next != null; next = after(next)) {
      if (count > 0 && (!next.canJoin(first) || rows + next.rows() > policy.maxBatchSize())) {
        cannotGrow = true;
        break;
      }
      rows += next.rows();
      count++;
      oldest = next.enqueueNanos - oldest < 0 ? next.enqueueNanos : oldest;
      if (preferredRows.contains(rows)) {
        preferredCount = count;
      }
      if (rows >= largestPreferredRows) {
        cannotGrow = true;
        break;
      }
    }
    long age = now - oldest;
    boolean delayPassed = flush || (maxDelayNanos > 0 && age >= maxDelayNanos);
    if (preferredCount > 0 && !delayPassed) {
      return take(first, preferredCount, expired);
    }
    if (delayPassed || cannotGrow || maxDelayNanos == 0) {
      return take(first, count, expired);
    }
    return new Poll(List.of(), 0, expired, untilNextDeadline(now, maxDelayNanos - age));
  }

  private Poll take(QueuedRequest first, int count, List<QueuedRequest> expired) {
    List<QueuedRequest> batch = new ArrayList<>(count);
    int rows = 0;
    QueuedRequest next = first;
    for (int i = 0; i < count; i++) {
      QueuedRequest taken = next;
      next = after(taken);
      unlink(taken);
      batch.add(taken);
      rows += taken.rows();
    }
    return new Poll(batch, rows, expired, 0);
  }

  /**
   * Rejects or delays every queued request whose queue timeout passed by {@code now}, and rejects
   * every one whose caller's deadline passed (whatever the level's timeout action).
   */
  private List<QueuedRequest> expire(long now) {
    List<QueuedRequest> expired = List.of();
    while (!deadlines.isEmpty()) {
      QueuedRequest head = deadlines.peek();
      if (head.isQueued() && head.deadlineNanos - now > 0) {
        break;
      }
      deadlines.poll();
      if (!head.isQueued() || !head.expiryArmed) {
        continue;
      }
      head.expiryArmed = false;
      if (head.timeoutAction == TimeoutAction.REJECT) {
        unlink(head);
        if (expired.isEmpty()) {
          expired = new ArrayList<>();
        }
        expired.add(head);
      } else {
        if (!head.delayed) {
          head.list.remove(head);
          head.delayed = true;
          lists[2 * head.level + 1].addLast(head);
        }
        if (head.armCallerDeadline()) {
          head.expiryArmed = true;
          deadlines.add(head);
        }
      }
    }
    compactDeadlines();
    return expired;
  }

  /** Drops deadlines of requests that left the queue once they outnumber the queued ones. */
  private void compactDeadlines() {
    if (deadlines.size() > 2 * size + 64) {
      deadlines.removeIf(request -> !request.isQueued() || !request.expiryArmed);
    }
  }

  private long untilNextDeadline(long now, long wait) {
    for (QueuedRequest head = deadlines.peek(); head != null; head = deadlines.peek()) {
      if (head.isQueued() && head.expiryArmed) {
        long untilDeadline = Math.max(1, head.deadlineNanos - now);
        return wait == WAIT_FOR_SIGNAL ? untilDeadline : Math.min(wait, untilDeadline);
      }
      deadlines.poll();
    }
    return wait;
  }

  private void unlink(QueuedRequest request) {
    request.list.remove(request);
    size--;
  }

  private int levelSize(int level) {
    return lists[2 * level].size + lists[2 * level + 1].size;
  }

  private QueuedRequest first() {
    return firstFrom(0);
  }

  private QueuedRequest after(QueuedRequest request) {
    return request.next != null ? request.next : firstFrom(request.list.index + 1);
  }

  private QueuedRequest firstFrom(int listIndex) {
    for (int i = listIndex; i < lists.length; i++) {
      if (lists[i].head != null) {
        return lists[i].head;
      }
    }
    return null;
  }
}
