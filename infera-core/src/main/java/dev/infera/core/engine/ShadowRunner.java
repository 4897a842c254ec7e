package dev.infera.core.engine;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.ShadowDiff;
import dev.infera.core.routing.TrafficRecorder;
import dev.infera.core.routing.Variant;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Sends shadow copies of answered requests to a shadow version and compares its answer with the
 * primary's. Bounded: at most {@code limit} copies are in flight; a copy beyond that (or one the
 * shadow cannot take) is dropped and counted, so shadow work never queues up behind the primary
 * path. The shadow's answer goes to the {@link TrafficRecorder} only, never to a client.
 *
 * <p>Threading: lock-free; comparisons run on the shadow version's scheduler thread.
 */
final class ShadowRunner {
  static final int DEFAULT_LIMIT = 64;

  private final Semaphore slots;
  private final TrafficRecorder recorder;

  ShadowRunner(int limit, TrafficRecorder recorder) {
    this.slots = new Semaphore(limit);
    this.recorder = recorder;
  }

  void submit(InferenceRequest request, RoutedVersion shadow, InferenceResponse primary) {
    String model = request.modelName();
    String variant = Variant.name(model, shadow.model(), shadow.version());
    if (!slots.tryAcquire()) {
      recorder.shadowDropped(model, variant);
      return;
    }
    if (!shadow.tryAcquire()) {
      slots.release();
      recorder.shadowDropped(model, variant);
      return;
    }
    ScheduledRequest scheduled;
    try {
      scheduled = shadow.validator().validate(request, request.options().timeout());
      shadow
          .scheduler()
          .enqueue(scheduled)
          .whenComplete(
              (result, failure) -> {
                slots.release();
                if (failure != null) {
                  recorder.shadowDropped(model, variant);
                  return;
                }
                List<Tensor> outputs = new ArrayList<>(result.outputs().size());
                for (Tensor output : result.outputs()) {
                  outputs.add(shadow.validator().toClientShape(output, scheduled.rows()));
                }
                recorder.shadowed(model, variant, ShadowDiff.of(primary.outputs(), outputs));
              });
    } catch (InferenceException e) {
      slots.release();
      recorder.shadowDropped(model, variant);
    } finally {
      shadow.release();
    }
  }
}
