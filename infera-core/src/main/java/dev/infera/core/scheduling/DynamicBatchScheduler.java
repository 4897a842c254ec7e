package dev.infera.core.scheduling;

import dev.infera.core.tracing.VersionTracer;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Triton's dynamic batcher: queues a model version's requests by priority and runs them, batched
 * along dimension 0 as {@link BatchPolicy} says, on the version's instances. docs/scheduling.md
 * describes the rules.
 *
 * <p>Threading: one platform thread per instance ({@code infera-exec-<model>-<version>-<i>}), each
 * taking the next due batch from the shared queue and executing it, so an instance never runs two
 * batches at once. The queue is guarded by one lock; idle threads wait on its condition for a
 * request to arrive or until the next batch or timeout is due by the {@link Ticker}, which must
 * therefore advance in real time. Futures complete on those threads, outside the lock. Instances
 * can be added and retired while it serves ({@link ElasticInstances}): a retired instance's thread
 * ends after its current batch. A caller with {@link CallerRuns}' permit may run a batch itself on
 * an idle instance, which it claims for that time: the instance's thread then waits until the claim
 * ends, and retiring or stopping waits for it too.
 */
public final class DynamicBatchScheduler implements Scheduler, ElasticInstances {
  /** The most requests queued at once over all priority levels, whatever their policies allow. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  private static final Pattern LABEL = Pattern.compile("model '(.*)' version '(.*)'");

  private final String label;
  private final List<ModelInstance> instances;
  private final BatchPolicy policy;
  private final Ticker ticker;
  private final SchedulerListener listener;
  private final BatchRunner runner;
  private final ResponseSequencer sequencer;
  private final AtomicInteger inflight = new AtomicInteger();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final LongAdder started = new LongAdder();
  private final LongAdder waitedNanos = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  // Guarded by lock:
  private final BatchQueue queue;
  private boolean stopping;
  private int liveThreads;
  private long nextSequence;
  private int reportedDepth;
  private int nextManualInstance;
  private int nextThreadIndex;
  private final Map<ModelInstance, CompletableFuture<Void>> retiring = new HashMap<>();
  private final InstanceClaims claims = new InstanceClaims();

  private DynamicBatchScheduler(
      String label,
      List<ModelInstance> instances,
      BatchPolicy policy,
      Ticker ticker,
      SchedulerListener listener,
      int queueCapacity,
      VersionTracer tracer) {
    this.label = Objects.requireNonNull(label, "label");
    this.instances = new CopyOnWriteArrayList<>(instances);
    if (this.instances.isEmpty()) {
      throw new IllegalArgumentException(label + ": no instances to run on");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity " + queueCapacity + " (expected >= 1)");
    }
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.queue = new BatchQueue(policy, queueCapacity);
    this.sequencer = policy.preserveOrdering() ? new ResponseSequencer() : null;
    this.runner =
        new BatchRunner(
            label, ticker, listener, new Completions(), Objects.requireNonNull(tracer, "tracer"));
  }

  /**
   * Creates a scheduler and starts one thread per instance.
   *
   * @param label names the model version in messages, as {@code model 'x' version '1'}; thread
   *     names take the model and version from it
   * @param instances the instances to run on; the scheduler closes none of them
   * @param ticker the time source for queue delays and timeouts; must advance in real time
   */
  public static DynamicBatchScheduler start(
      String label,
      List<ModelInstance> instances,
      BatchPolicy policy,
      Ticker ticker,
      SchedulerListener listener) {
    return start(label, instances, policy, ticker, listener, VersionTracer.OFF);
  }

  /**
   * Creates a scheduler whose executions of traced requests are recorded by {@code tracer}, and
   * starts one thread per instance; see {@link #start(String, List, BatchPolicy, Ticker,
   * SchedulerListener)}.
   */
  public static DynamicBatchScheduler start(
      String label,
      List<ModelInstance> instances,
      BatchPolicy policy,
      Ticker ticker,
      SchedulerListener listener,
      VersionTracer tracer) {
    DynamicBatchScheduler scheduler =
        new DynamicBatchScheduler(
            label, instances, policy, ticker, listener, DEFAULT_QUEUE_CAPACITY, tracer);
    scheduler.startThreads();
    return scheduler;
  }

  /**
   * A scheduler without threads, for tests: nothing executes until {@link #runDue} is called, which
   * runs every due batch on the calling thread.
   */
  static DynamicBatchScheduler manual(
      String label,
      List<ModelInstance> instances,
      BatchPolicy policy,
      Ticker ticker,
      SchedulerListener listener,
      int queueCapacity) {
    return manual(label, instances, policy, ticker, listener, queueCapacity, VersionTracer.OFF);
  }

  /** A scheduler without threads whose executions {@code tracer} records, for tests. */
  static DynamicBatchScheduler manual(
      String label,
      List<ModelInstance> instances,
      BatchPolicy policy,
      Ticker ticker,
      SchedulerListener listener,
      int queueCapacity,
      VersionTracer tracer) {
    return new DynamicBatchScheduler(
        label, instances, policy, ticker, listener, queueCapacity, tracer);
  }

  private void startThreads() {
    lock.lock();
    try {
      liveThreads = instances.size();
      nextThreadIndex = instances.size();
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < instances.size(); i++) {
      startThread(instances.get(i), i);
    }
  }

  private void startThread(ModelInstance instance, int index) {
    Thread thread =
        new Thread(() -> work(instance), "infera-exec-" + threadNamePart(label) + "-" + index);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public int instanceCount() {
    lock.lock();
    try {
      return instances.size() - retiring.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void addInstance(ModelInstance instance) {
    Objects.requireNonNull(instance, "instance");
    int index;
    lock.lock();
    try {
      if (stopping) {
        throw new IllegalStateException(label + ": stopping, no instance added");
      }
      instances.add(instance);
      liveThreads++;
      index = nextThreadIndex++;
    } finally {
      lock.unlock();
    }
    startThread(instance, index);
  }

  @Override
  public CompletableFuture<Void> retireInstance(ModelInstance instance) {
    lock.lock();
    try {
      if (!instances.contains(instance)) {
        throw new IllegalArgumentException(label + ": not one of its instances");
      }
      if (!retiring.containsKey(instance) && instances.size() - retiring.size() <= 1) {
        throw new IllegalStateException(label + ": its last instance cannot retire");
      }
      CompletableFuture<Void> gone =
          retiring.computeIfAbsent(instance, i -> new CompletableFuture<>());
      work.signalAll();
      return gone;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public QueueWaits queueWaits() {
    return new QueueWaits(started.sum(), waitedNanos.sum(), busyNanos.sum());
  }

  static String threadNamePart(String label) {
    Matcher matcher = LABEL.matcher(label);
    String raw = matcher.matches() ? matcher.group(1) + "-" + matcher.group(2) : label;
    return raw.replaceAll("[^A-Za-z0-9_.-]", "-");
  }

  @Override
  public CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    Objects.requireNonNull(request, "request");
    if (policy.mergesRequests() && request.rows() > policy.maxBatchSize()) {
      return CompletableFuture.failedFuture(
          new InferenceException(
              ErrorCode.INVALID_ARGUMENT,
              label
                  + ": request has "
                  + request.rows()
                  + " rows (expected at most "
                  + policy.maxBatchSize()
                  + ", max_batch_size)"));
    }
    int level = policy.levelIndex(request.priority());
    QueuePolicy levelPolicy = policy.queuePolicy(level);
    QueuedRequest queued =
        new QueuedRequest(
            request,
            ticker.read(),
            levelPolicy.timeoutNanos(request.timeout().orElse(null)),
            levelPolicy.timeoutAction(),
            request.timeout().map(QueuePolicy::saturatedNanos).orElse(0L),
            level,
            policy.mergesRequests(),
            this::withdraw);
    int limit;
    ModelInstance claim = null;
    BatchQueue.Poll own = null;
    List<QueuedRequest> expired = List.of();
    lock.lock();
    try {
      if (stopping) {
        limit = -1;
      } else {
        limit = queue.offer(queued);
        if (limit == 0) {
          queued.sequence = nextSequence++;
          inflight.incrementAndGet();
          // A caller may run its request's batch itself when it is all that is queued.
          claim = sequencer == null && queue.size() == 1 ? claims.claim() : null;
          if (claim != null) {
            own = queue.poll(ticker.read(), false);
            if (!own.hasBatch()) { // not due yet: the instance's thread waits for it
              // The poll took out what had passed its deadline (this request, with a timeout
              // shorter than the way here): answered below, since no queue holds it any more.
              expired = own.expired();
              claims.release(claim, true);
              claim = null;
            }
          }
          reportDepth();
          if (claim == null) {
            signalWork();
          }
        }
      }
    } finally {
      lock.unlock();
    }
    fail(expired);
    if (claim != null) {
      runClaimed(own, claim);
    } else if (limit < 0) {
      queued.future.completeExceptionally(
          new InferenceException(
              ErrorCode.UNAVAILABLE, label + ": not accepting requests: stopping"));
    } else if (limit > 0) {
      listener.onQueueFull();
      queued.future.completeExceptionally(
          new InferenceException(
              ErrorCode.UNAVAILABLE, label + ": queue is full (" + limit + " requests)"));
    }
    return queued.future;
  }

  /** Wakes an instance's thread for new work; all of them while a caller holds a claim. */
  private void signalWork() {
    if (!claims.anyClaimed()) {
      work.signal();
    } else {
      work.signalAll(); // the one signal() wakes might be a claimed instance's thread
    }
  }

  /** Runs a batch on the calling thread on an instance it claimed, then gives the instance back. */
  private void runClaimed(BatchQueue.Poll poll, ModelInstance instance) {
    try {
      CallerRuns.spend();
      fail(poll.expired());
      execute(poll, instance);
    } finally {
      lock.lock();
      try {
        claims.contended(1 + queue.size());
        boolean stillIdle = queue.isEmpty() && !stopping && !retiring.containsKey(instance);
        claims.release(instance, stillIdle);
        if (!stillIdle) {
          work.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** The instances whose threads wait for work, unclaimed; for tests. */
  int idleInstanceCount() {
    lock.lock();
    try {
      return claims.idleCount();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int inflightCount() {
    return inflight.get();
  }

  /** The number of requests waiting in the queue (not executing). */
  public int queueDepth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletableFuture<Void> stop() {
    boolean finished;
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
      finished = liveThreads == 0 && queue.isEmpty();
    } finally {
      lock.unlock();
    }
    if (finished) {
      stopped.complete(null);
    }
    return stopped;
  }

  /** Runs every batch that is due now on the calling thread; for schedulers made by manual(). */
  void runDue() {
    while (true) {
      BatchQueue.Poll poll;
      boolean finished;
      lock.lock();
      try {
        poll = queue.poll(ticker.read(), stopping);
        reportDepth();
        finished = stopping && liveThreads == 0 && queue.isEmpty();
      } finally {
        lock.unlock();
      }
      fail(poll.expired());
      if (!poll.hasBatch()) {
        if (finished) {
          stopped.complete(null);
        }
        return;
      }
      runner.run(poll.batch(), poll.rows(), instances.get(nextManualInstance++ % instances.size()));
    }
  }

  /**
   * The loop of an instance's thread: take the next due batch, execute it, repeat until stopped.
   */
  private void work(ModelInstance instance) {
    while (true) {
      BatchQueue.Poll poll = awaitWork(instance);
      if (poll == null) {
        break;
      }
      fail(poll.expired());
      execute(poll, instance);
      if (poll.hasBatch()) {
        claims.contended(poll.batch().size());
      }
    }
    boolean last;
    CompletableFuture<Void> retired;
    lock.lock();
    try {
      last = --liveThreads == 0;
      retired = retiring.remove(instance);
      if (retired != null) {
        instances.remove(instance);
      }
    } finally {
      lock.unlock();
    }
    if (retired != null) {
      retired.complete(null);
    }
    if (last) {
      stopped.complete(null);
    }
  }

  /** Executes a polled batch, if it has one, on {@code instance} and counts its times. */
  private void execute(BatchQueue.Poll poll, ModelInstance instance) {
    if (!poll.hasBatch()) {
      return;
    }
    long begin = ticker.read();
    for (QueuedRequest request : poll.batch()) {
      waitedNanos.add(Math.max(0, begin - request.enqueueNanos));
    }
    started.add(poll.batch().size());
    runner.run(poll.batch(), poll.rows(), instance);
    long took = ticker.read() - begin;
    busyNanos.add(took);
    claims.executed(took);
  }

  /**
   * Waits until a batch is due or requests timed out; null once stopping with nothing queued, or
   * once {@code instance} is retiring.
   */
  private BatchQueue.Poll awaitWork(ModelInstance instance) {
    lock.lock();
    try {
      while (true) {
        if (claims.isClaimed(instance)) {
          await(instance, false, -1); // until the caller running on it gives it back
          continue;
        }
        if (retiring.containsKey(instance) && !stopping) {
          if (!queue.isEmpty()) {
            work.signal(); // what this thread leaves goes to another one
          }
          return null;
        }
        BatchQueue.Poll poll = queue.poll(ticker.read(), stopping);
        reportDepth();
        if (poll.hasBatch()) {
          if (!queue.isEmpty()) {
            work.signal(); // another idle thread may take what is left
          }
          return poll;
        }
        if (!poll.expired().isEmpty()) {
          return poll;
        }
        if (stopping && queue.isEmpty()) {
          work.signalAll();
          return null;
        }
        await(instance, true, poll.waitsForSignal() ? -1 : poll.waitNanos());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits on the work condition, with the lock held, for a signal or at most {@code nanos} (none
   * when negative). While it waits for work, {@code instance} is idle: a caller may claim it.
   * Whatever woke it, it is no longer idle after.
   */
  private void await(ModelInstance instance, boolean forWork, long nanos) {
    if (forWork) {
      claims.waiting(instance);
    }
    try {
      if (nanos < 0) {
        work.awaitUninterruptibly();
      } else {
        work.await(nanos, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      // Nobody interrupts these threads; the caller looks at the queue again either way.
    } finally {
      claims.woke(instance);
    }
  }

  /** Called when a caller cancels a request's future. */
  private void withdraw(QueuedRequest request) {
    boolean removed;
    lock.lock();
    try {
      removed = queue.withdraw(request);
      if (removed) {
        reportDepth();
        if (stopping) {
          work.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    if (removed) {
      listener.onRequestCancelled();
      complete(request, () -> {});
    }
  }

  private void fail(List<QueuedRequest> expired) {
    for (QueuedRequest request : expired) {
      listener.onRequestTimedOut();
      InferenceException error =
          new InferenceException(ErrorCode.DEADLINE_EXCEEDED, request.expiryMessage(label));
      complete(request, () -> request.future.completeExceptionally(error));
    }
  }

  /** Ends a request: no longer in flight, then its completion, in arrival order if preserved. */
  private void complete(QueuedRequest request, Runnable completion) {
    inflight.decrementAndGet();
    if (sequencer == null) {
      completion.run();
    } else {
      sequencer.submit(request.sequence, completion);
    }
  }

  private void reportDepth() {
    int depth = queue.size();
    if (depth != reportedDepth) {
      reportedDepth = depth;
      listener.onQueueDepthChanged(depth);
    }
  }

  private final class Completions implements BatchRunner.Outcomes {
    @Override
    public void succeeded(QueuedRequest request, ExecutionResult result) {
      complete(request, () -> request.future.complete(result));
    }

    @Override
    public void failed(QueuedRequest request, Throwable error) {
      complete(request, () -> request.future.completeExceptionally(error));
    }
  }
}
