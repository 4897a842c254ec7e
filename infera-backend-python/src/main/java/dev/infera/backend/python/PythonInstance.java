package dev.infera.backend.python;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.RequestBatchInstance;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a Python model: one supervised worker. A worker that dies or does not answer
 * within the execute timeout is killed; the batch it held fails (UNAVAILABLE or DEADLINE_EXCEEDED,
 * naming the model) and a new worker starts at once in the background; the next batch waits for it.
 * The instance never stops serving because of a worker: a restart that fails is tried again by the
 * next batch.
 *
 * <p>Threading: {@link #executeRequests} runs on one thread at a time, as the SPI promises; the
 * worker references are guarded by {@code this} because {@link #close} and restarts finish on other
 * threads.
 */
final class PythonInstance implements RequestBatchInstance {
  private static final Logger LOG = LoggerFactory.getLogger(PythonInstance.class);

  /** Starts a worker for this instance: imported and initialized. */
  interface Starter {
    PythonWorker start() throws Exception;
  }

  private final String where;
  private final Starter starter;
  private final Executor starts;
  private final Duration executeTimeout;
  private final Duration startTimeout;
  private final OutputCheck check;
  private final WorkerMeters meters;

  private PythonWorker worker;
  private CompletableFuture<PythonWorker> starting;
  private boolean closed;

  PythonInstance(
      String where,
      PythonWorker first,
      Starter starter,
      Executor starts,
      Duration executeTimeout,
      Duration startTimeout,
      OutputCheck check,
      WorkerMeters meters) {
    this.where = where;
    this.worker = first;
    this.starter = starter;
    this.starts = starts;
    this.executeTimeout = executeTimeout;
    this.startTimeout = startTimeout;
    this.check = check;
    this.meters = meters;
  }

  @Override
  public List<Tensor> execute(List<Tensor> inputs, List<String> outputNames) {
    RequestOutcome outcome = executeRequests(List.of(inputs), outputNames).get(0);
    if (outcome.isError()) {
      throw outcome.error();
    }
    return outcome.outputs();
  }

  @Override
  public List<RequestOutcome> executeRequests(
      List<List<Tensor>> requests, List<String> outputNames) {
    PythonWorker current = ready();
    long start = System.nanoTime();
    PythonWorker.Answer answer;
    try {
      answer = current.execute(requests, outputNames, executeTimeout);
    } catch (WorkerException e) {
      throw failure(e, current, requests.size());
    } catch (InferenceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InferenceException(
          ErrorCode.INTERNAL, where + ": bad answer from the Python worker: " + e.getMessage(), e);
    }
    long total = System.nanoTime() - start;
    meters.execute.recordNanos(answer.executeNanos());
    meters.transfer.recordNanos(Math.max(0, total - answer.executeNanos()));
    List<RequestOutcome> checked = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      RequestOutcome outcome = answer.outcomes().get(i);
      InferenceException problem =
          outcome.isError() ? null : check.problem(requests.get(i), outcome.outputs());
      checked.add(problem == null ? outcome : RequestOutcome.failed(problem));
    }
    return checked;
  }

  private InferenceException failure(WorkerException e, PythonWorker failed, int requests) {
    switch (e.kind()) {
      case REPORTED:
        return new InferenceException(
            PythonWorker.errorCode(e.code()), where + ": " + e.getMessage());
      case TIMED_OUT:
        restart(failed, "execute did not return within " + WorkerProcess.seconds(executeTimeout));
        return new InferenceException(
            ErrorCode.DEADLINE_EXCEEDED,
            where
                + ": model.py's execute did not return within "
                + WorkerProcess.seconds(executeTimeout)
                + " (execute_timeout_seconds); the Python worker was stopped and is restarting");
      case DIED:
      default:
        restart(failed, e.getMessage());
        return new InferenceException(
            ErrorCode.UNAVAILABLE,
            where
                + ": "
                + e.getMessage()
                + " while executing a batch of "
                + requests
                + (requests == 1 ? " request" : " requests")
                + "; it is restarting");
    }
  }

  private void restart(PythonWorker failed, String why) {
    failed.kill();
    meters.restarts.increment();
    LOG.warn("{}: restarting its Python worker: {}", where, why);
    synchronized (this) {
      if (worker == failed) {
        worker = null;
      }
      if (!closed && starting == null) {
        starting = startInBackground();
      }
    }
  }

  private CompletableFuture<PythonWorker> startInBackground() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return starter.start();
          } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        },
        starts);
  }

  /** The running worker, waiting for a restart in progress (starting one if none is). */
  private PythonWorker ready() {
    CompletableFuture<PythonWorker> pending;
    synchronized (this) {
      if (closed) {
        throw InferenceException.unavailable(where + ": the instance is closed");
      }
      if (worker != null) {
        return worker;
      }
      if (starting == null) {
        starting = startInBackground();
      }
      pending = starting;
    }
    try {
      PythonWorker started = pending.get(startTimeout.toNanos() * 2, TimeUnit.NANOSECONDS);
      synchronized (this) {
        if (starting == pending) {
          starting = null;
          worker = started;
        }
        if (closed) {
          started.kill();
          throw InferenceException.unavailable(where + ": the instance is closed");
        }
        return worker;
      }
    } catch (ExecutionException | TimeoutException e) {
      synchronized (this) {
        if (starting == pending) {
          starting = null; // the next batch tries again
        }
      }
      String reason =
          e instanceof ExecutionException failed ? causeOf(failed) : "it did not start in time";
      throw InferenceException.unavailable(
          where + ": the Python worker could not be restarted: " + reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InferenceException.unavailable(where + ": interrupted while its worker restarts");
    }
  }

  private static String causeOf(ExecutionException e) {
    Throwable cause = e.getCause();
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  /** The current worker's process id, if one runs; for tests and diagnostics. */
  synchronized long workerPid() {
    return worker == null ? -1 : worker.pid();
  }

  @Override
  public void close() {
    PythonWorker current;
    CompletableFuture<PythonWorker> pending;
    synchronized (this) {
      closed = true;
      current = worker;
      pending = starting;
      worker = null;
      starting = null;
    }
    if (current != null) {
      current.stop(Duration.ofSeconds(10));
    }
    if (pending != null) {
      try {
        pending.get(startTimeout.toNanos() * 2, TimeUnit.NANOSECONDS).kill();
      } catch (ExecutionException e) {
        // it never started: nothing to stop
      } catch (TimeoutException e) {
        LOG.warn("{}: a restarting Python worker did not finish starting before close", where);
        pending.thenAccept(PythonWorker::kill);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pending.thenAccept(PythonWorker::kill);
      }
    }
  }
}
