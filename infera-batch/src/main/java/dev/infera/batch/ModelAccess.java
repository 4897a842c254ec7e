package dev.infera.batch;

import dev.infera.core.InferenceService;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.Router;
import java.util.Optional;

/**
 * What a batch job needs of the serving engine: the model's interface and priority levels, and the
 * {@link InferenceService} every request goes through (the same validation, scheduler, batching and
 * backends as online requests).
 */
public record ModelAccess(Router router, InferenceService service) {

  /**
   * The model version a job would use now.
   *
   * @throws dev.infera.spi.InferenceException NOT_FOUND or UNAVAILABLE as for a request
   */
  public ModelView view(String model, Optional<String> version) {
    RoutedVersion serving = router.route(model, version, Optional.empty()).version();
    long levels =
        serving.config().hasDynamicBatching()
            ? serving.config().getDynamicBatching().getPriorityLevels()
            : 0;
    return new ModelView(
        serving.version(), serving.contract(), (int) Math.min(levels, Integer.MAX_VALUE));
  }

  /**
   * @param version the version number
   * @param contract the model's inputs, outputs and {@code max_batch_size}
   * @param priorityLevels its scheduler's priority levels (1 highest); 0 when it has none
   */
  public record ModelView(long version, ModelInterface contract, int priorityLevels) {}
}
