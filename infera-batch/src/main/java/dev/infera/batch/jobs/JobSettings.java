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
      // Not echoed: replies show no absolute paths, and the client knows what it sent.
      throw new IllegalArgumentException(
          what + " is an absolute path (expected a path relative to the jobs folder)");
    }
    Path resolved = folder.resolve(requested).normalize();
    if (!resolved.startsWith(folder)) {
      throw new IllegalArgumentException(
          what + " '" + requested + "' leaves the jobs folder (expected a path inside it)");
    }
    if (resolved.equals(folder)) {
      // A job writes its partitions into its output folder and clears its leftovers there.
      throw new IllegalArgumentException(
          what + " '" + requested + "' is the jobs folder itself (expected a path inside it)");
    }
    return resolved;
  }

  /**
   * {@code text} with the jobs folder's own path left out, so that what a client reads names its
   * files as it named them: relative to the folder.
   */
  String relative(String text) {
    if (text == null) {
      return null;
    }
    String prefix = folder.toString();
    return text.replace(prefix + folder.getFileSystem().getSeparator(), "").replace(prefix, ".");
  }
}
