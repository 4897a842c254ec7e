package dev.infera.core.scheduling;

/**
 * A FIFO of queued requests linked through the requests themselves, so that a cancelled or
 * timed-out request leaves from anywhere in constant time. Not thread-safe: guarded by the
 * scheduler's lock.
 */
final class RequestList {
  /** The position of this list in the queue's overall order. */
  final int index;

  QueuedRequest head;
  QueuedRequest tail;
  int size;

  RequestList(int index) {
    this.index = index;
  }

  void addLast(QueuedRequest request) {
    request.list = this;
    request.prev = tail;
    request.next = null;
    if (tail == null) {
      head = request;
    } else {
      tail.next = request;
    }
    tail = request;
    size++;
  }

  void remove(QueuedRequest request) {
    if (request.prev == null) {
      head = request.next;
    } else {
      request.prev.next = request.next;
    }
    if (request.next == null) {
      tail = request.prev;
    } else {
      request.next.prev = request.prev;
    }
    request.prev = null;
    request.next = null;
    request.list = null;
    size--;
  }
}
