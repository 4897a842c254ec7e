package dev.infera.core.lifecycle;

import dev.infera.core.InferenceRequest;
import dev.infera.core.config.proto.ModelWarmup;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a version's {@code model_warmup} samples before it serves: each sample is validated like a
 * client request, then executed {@code max(1, count)} times on every instance of the version, on
 * the calling (lifecycle) thread. The version is not yet routed to, so no instance runs anything
 * else meanwhile.
 */
final class Warmup {
  private Warmup() {}

  /**
   * @return the number of executions run
   * @throws InferenceException naming the version and sample when a sample is invalid or fails
   */
  static int run(ServingVersion version, Path modelDirectory) {
    return run(version, modelDirectory, version.instances());
  }

  /**
   * Runs the samples on the given instances only (an instance added while the version serves).
   *
   * @return the number of executions run
   */
  static int run(ServingVersion version, Path modelDirectory, List<ModelInstance> instances) {
    String label = ServingVersion.label(version.model(), version.version());
    List<Map.Entry<ModelWarmup, InferenceRequest>> samples;
    try {
      samples = WarmupSamples.requests(version.config(), version.model(), modelDirectory);
    } catch (InferenceException | IllegalArgumentException e) {
      throw new InferenceException(ErrorCode.INVALID_ARGUMENT, label + ": " + e.getMessage());
    }
    int executions = 0;
    for (Map.Entry<ModelWarmup, InferenceRequest> entry : samples) {
      ModelWarmup sample = entry.getKey();
      try {
        ScheduledRequest scheduled =
            version.validator().validate(entry.getValue(), Optional.empty());
        int runs = Math.max(1, sample.getCount());
        for (ModelInstance instance : instances) {
          for (int i = 0; i < runs; i++) {
            instance.execute(scheduled.inputs(), scheduled.outputNames());
            executions++;
          }
        }
      } catch (InferenceException | IllegalArgumentException e) {
        String reason =
            e.getMessage().startsWith(label) ? e.getMessage() : label + ": " + e.getMessage();
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            "warmup sample '" + sample.getName() + "' failed: " + reason);
      }
    }
    return executions;
  }
}
