package dev.infera.batch.jobs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a server runs batch jobs.
 *
 * @param folder the folder job inputs and outputs are relative to; nothing outside it is read or
 *     written
 * @param concurrentJobs jobs running at once (the rest queue)
 * @param queuedJobs jobs that may wait; more are refused
 * @param maxParallelism the most batches in flight per job
 */
public record JobSettings(Path folder, int concurrentJobs, int queuedJobs, int maxParallelism) {
  public static final int DEFAULT_CONCURRENT_JOBS = 1;
  public static final int DEFAULT_QUEUED_JOBS = 16;
  public static final int DEFAULT_MAX_PARALLELISM = 2;

  public JobSettings {
    Objects.requireNonNull(folder, "folder");
    folder = folder.toAbsolutePath().normalize();
    if (concurrentJobs < 1 || queuedJobs < 1 || maxParallelism < 1) {
      throw new IllegalArgumentException(
          "job settings: concurrent "
              + concurrentJobs
              + ", queued "
              + queuedJobs
              + ", parallelism "
              + maxParallelism
              + " (expected each >= 1)");
    }
  }

  public static JobSettings defaults(Path folder) {
    return new JobSettings(
        folder, DEFAULT_CONCURRENT_JOBS, DEFAULT_QUEUED_JOBS, DEFAULT_MAX_PARALLELISM);
  }

  /**
   * A client's path resolved inside the jobs folder.
   *
   * @throws IllegalArgumentException when it is absolute or leaves the folder
   */
  Path resolve(Path requested, String what) {
    if (requested.isAbsolute()) {
      throw new IllegalArgumentException(
          what + " '" + requested + "' is absolute (expected a path inside the jobs folder)");
    }
    Path resolved = folder.resolve(requested).normalize();
    if (!resolved.startsWith(folder)) {
      throw new IllegalArgumentException(
          what + " '" + requested + "' leaves the jobs folder (expected a path inside it)");
    }
    return resolved;
  }
}
