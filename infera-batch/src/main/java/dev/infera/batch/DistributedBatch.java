package dev.infera.batch;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Runs a batch job on a cluster engine instead of in this process; found with {@link
 * java.util.ServiceLoader} (module infera-spark provides one for Apache Spark).
 */
public interface DistributedBatch {

  /** The name {@code --spark-master} and friends select it by: {@code spark}. */
  String name();

  /**
   * Runs the job to its end.
   *
   * @param options the job, as for the local mode
   * @param modelRepository the repository the model loads from on every executor
   * @param master where to run (a Spark master URL such as {@code local[2]})
   * @param instances the model's instances per instance group in each executor JVM ({@code
   *     --instances}); empty for the configured count
   */
  JobSummary run(BatchOptions options, Path modelRepository, String master, OptionalInt instances);

  /** Runs the job to its end with the model's configured instances. */
  default JobSummary run(BatchOptions options, Path modelRepository, String master) {
    return run(options, modelRepository, master, OptionalInt.empty());
  }
}
