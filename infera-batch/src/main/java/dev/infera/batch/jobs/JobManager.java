package dev.infera.batch.jobs;

import dev.infera.batch.BatchFailure;
import dev.infera.batch.BatchJob;
import dev.infera.batch.BatchOptions;
import dev.infera.batch.JobProgress;
import dev.infera.batch.JobSummary;
import dev.infera.batch.ModelAccess;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch jobs of a running server ({@code /v2/jobs}): submitted jobs queue for a small, bounded
 * pool of job threads, so that jobs never take more than a few cores and a few batches in flight
 * from online traffic. Each job asks for the model's lowest priority level when the model has
 * priority levels, so the scheduler serves online requests first.
 *
 * <p>Input and output paths are relative to one jobs folder; a path leaving it is refused.
 *
 * <p>Threading: every method may be called from any thread; the job list is guarded by this
 * object's lock. {@link #close} cancels the jobs and waits for their threads.
 */
public final class JobManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

  /** Finished jobs kept for status and listing; older ones are forgotten. */
  static final int KEPT_FINISHED = 100;

  private final ModelAccess access;
  private final JobSettings settings;
  private final Clock clock;
  private final ThreadPoolExecutor pool;
  private final Map<String, Entry> jobs = new LinkedHashMap<>();

  /**
   * @param access the engine jobs score through
   * @param settings the jobs folder and pool sizes
   * @param clock the clock of submission and finishing times
   */
  public JobManager(ModelAccess access, JobSettings settings, Clock clock) {
    this.access = access;
    this.settings = settings;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            settings.concurrentJobs(),
            settings.concurrentJobs(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(settings.queuedJobs()),
            runnable -> {
              Thread thread = new Thread(runnable, "infera-batch-job-" + threads.incrementAndGet());
              thread.setDaemon(true);
              thread.setPriority(Thread.MIN_PRIORITY);
              return thread;
            });
  }

  /** A job as the server runs it: the client's options with paths inside the jobs folder. */
  private BatchOptions resolved(BatchOptions requested) {
    int lowest = access.view(requested.model(), requested.version()).priorityLevels();
    List<Path> inputs = new ArrayList<>();
    for (Path input : requested.inputs()) {
      Path resolved = settings.resolve(input, "input");
      if (!Files.exists(resolved)) {
        throw new IllegalArgumentException(
            "input '" + input + "' does not exist in the jobs folder");
      }
      inputs.add(resolved);
    }
    Path output = settings.resolve(requested.output(), "output");
    for (int i = 0; i < inputs.size(); i++) {
      // The job writes its partitions, manifest and summary into its output folder: among the
      // inputs, they would be read by the next run (or mix formats in this one).
      if (inputs.get(i).startsWith(output) || output.startsWith(inputs.get(i))) {
        throw new IllegalArgumentException(
            "output '"
                + requested.output()
                + "' and input '"
                + requested.inputs().get(i)
                + "' overlap (expected an output folder apart from the inputs)");
      }
    }
    int parallelism = Math.min(requested.parallelism(), settings.maxParallelism());
    BatchOptions options =
        new BatchOptions(
            requested.model(),
            requested.version(),
            inputs,
            output,
            requested.format(),
            requested.inputColumns(),
            requested.outputColumns(),
            requested.idColumn(),
            requested.partitions(),
            requested.partitionRows(),
            parallelism,
            requested.resume(),
            requested.maxErrorRate(),
            requested.priority());
    return lowest > 0 ? options.withPriority(lowest) : options;
  }

  /**
   * Queues a job.
   *
   * @throws InferenceException INVALID_ARGUMENT for a path outside the jobs folder, NOT_FOUND or
   *     UNAVAILABLE for the model, RESOURCE_EXHAUSTED when the queue is full
   */
  public JobStatus submit(BatchOptions requested) {
    BatchOptions options;
    try {
      options = resolved(requested);
    } catch (IllegalArgumentException e) {
      throw InferenceException.invalidArgument(e.getMessage());
    }
    String id = UUID.randomUUID().toString();
    Entry entry = new Entry(id, new BatchJob(options, access), clock.instant());
    synchronized (this) {
      jobs.put(id, entry);
      try {
        entry.future = pool.submit(() -> run(entry));
      } catch (RejectedExecutionException e) {
        jobs.remove(id);
        throw new InferenceException(
            ErrorCode.RESOURCE_EXHAUSTED,
            "the job queue is full ("
                + settings.queuedJobs()
                + " jobs waiting); try again when a job has finished");
      }
      forgetOldJobs();
    }
    LOG.info("batch job {} queued: model '{}', output '{}'", id, options.model(), options.output());
    return entry.status();
  }

  private void run(Entry entry) {
    if (!entry.start(clock.instant())) {
      return; // cancelled while queued
    }
    try {
      JobSummary summary = entry.job.run();
      entry.finish(JobState.SUCCEEDED, clock.instant(), null, relative(summary));
      LOG.info(
          "batch job {} succeeded: {} rows out, {} rejected",
          entry.id,
          summary.rowsOut(),
          summary.rejected());
    } catch (BatchFailure e) {
      entry.finish(
          e.cancelled() ? JobState.CANCELLED : JobState.FAILED,
          clock.instant(),
          settings.relative(e.getMessage()),
          null);
      LOG.info("batch job {} stopped: {}", entry.id, e.getMessage());
    } catch (IllegalArgumentException | InferenceException e) {
      entry.finish(JobState.FAILED, clock.instant(), settings.relative(e.getMessage()), null);
      LOG.info("batch job {} failed: {}", entry.id, e.getMessage());
    } catch (UncheckedIOException e) {
      // The job's own files (an output folder that cannot be prepared, an input that cannot be
      // read): the job's failure, said in one line, not the server's.
      entry.finish(JobState.FAILED, clock.instant(), settings.relative(e.getMessage()), null);
      LOG.warn("batch job {} failed: {}", entry.id, settings.relative(e.getMessage()));
    } catch (RuntimeException | Error e) {
      // An Error too (DuckDB's native library that cannot load, a class missing): else the job
      // would stay RUNNING, its failure hidden in a Future nobody reads.
      entry.finish(
          JobState.FAILED,
          clock.instant(),
          "the job failed: "
              + (e.getMessage() == null
                  ? e.getClass().getSimpleName()
                  : settings.relative(e.getMessage())),
          null);
      LOG.error("batch job {} failed", entry.id, e);
      if (e instanceof VirtualMachineError fatal) {
        throw fatal; // out of memory and the like: the process's own handling decides
      }
    }
  }

  /** The summary a client reads: its files named relative to the jobs folder. */
  private JobSummary relative(JobSummary summary) {
    return summary.withPaths(
        summary.inputs().stream().map(settings::relative).toList(),
        settings.relative(summary.output()));
  }

  private void forgetOldJobs() {
    long finished = jobs.values().stream().filter(e -> e.state().finished()).count();
    var it = jobs.values().iterator();
    while (finished > KEPT_FINISHED && it.hasNext()) {
      if (it.next().state().finished()) {
        it.remove();
        finished--;
      }
    }
  }

  /**
   * A job's status.
   *
   * @throws InferenceException NOT_FOUND for an unknown id
   */
  public synchronized JobStatus status(String id) {
    return entry(id).status();
  }

  /** Every job kept, oldest first. */
  public synchronized List<JobStatus> list() {
    return jobs.values().stream().map(Entry::status).toList();
  }

  /**
   * Cancels a job: a queued one never starts, a running one stops at its next row keeping its
   * committed partitions (it can be resumed). Cancelling a finished job changes nothing.
   */
  public JobStatus cancel(String id) {
    Entry entry;
    synchronized (this) {
      entry = entry(id);
    }
    entry.cancel(clock.instant());
    return entry.status();
  }

  private Entry entry(String id) {
    Entry entry = jobs.get(id);
    if (entry == null) {
      throw new InferenceException(ErrorCode.NOT_FOUND, "job '" + id + "' is not found");
    }
    return entry;
  }

  /** Cancels every job and waits for the job threads to stop. */
  @Override
  public void close() {
    List<Entry> all;
    synchronized (this) {
      all = new ArrayList<>(jobs.values());
    }
    all.forEach(entry -> entry.cancel(clock.instant()));
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("batch jobs still running after 30 s; leaving them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One job and its state; the state fields are guarded by the entry's lock. */
  private static final class Entry {
    final String id;
    final BatchJob job;
    final Instant submitted;
    Future<?> future;
    private JobState state = JobState.QUEUED;
    private Instant started;
    private Instant finished;
    private String error;
    private JobSummary summary;

    Entry(String id, BatchJob job, Instant submitted) {
      this.id = id;
      this.job = job;
      this.submitted = submitted;
    }

    synchronized boolean start(Instant now) {
      if (state != JobState.QUEUED) {
        return false;
      }
      state = JobState.RUNNING;
      started = now;
      return true;
    }

    synchronized void finish(JobState end, Instant now, String why, JobSummary result) {
      state = end;
      finished = now;
      error = why;
      summary = result;
    }

    void cancel(Instant now) {
      synchronized (this) {
        if (state == JobState.QUEUED) {
          finish(JobState.CANCELLED, now, "cancelled before it started", null);
          return;
        }
        if (state.finished()) {
          return;
        }
      }
      job.cancel();
    }

    synchronized JobState state() {
      return state;
    }

    synchronized JobStatus status() {
      JobProgress progress = job.progress();
      return new JobStatus(
          id,
          job.options().model(),
          state,
          progress.totalRows(),
          progress.rowsDone(),
          progress.rowsOut(),
          progress.rejected(),
          progress.partitionsDone(),
          progress.partitionsTotal(),
          submitted,
          Optional.ofNullable(started),
          Optional.ofNullable(finished),
          Optional.ofNullable(error),
          Optional.ofNullable(summary));
    }
  }
}
