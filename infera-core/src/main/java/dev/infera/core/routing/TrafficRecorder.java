package dev.infera.core.routing;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * Receives what happened to each routed request, per variant: the answers (with their outputs, for
 * the rollout's prediction checks and for feedback), the failures, and the shadow comparisons.
 *
 * <p>Called on scheduler threads, concurrently; implementations are thread-safe and fast (no I/O,
 * no blocking).
 */
public interface TrafficRecorder {
  /** Records nothing. */
  TrafficRecorder NONE =
      new TrafficRecorder() {
        @Override
        public void answered(
            String model,
            String variant,
            long latencyNanos,
            List<Tensor> outputs,
            Optional<String> requestId) {}

        @Override
        public void failed(String model, String variant, long latencyNanos, ErrorCode code) {}

        @Override
        public void shadowed(String model, String variant, ShadowDiff diff) {}

        @Override
        public void shadowDropped(String model, String variant) {}
      };

  /** A variant answered a request of {@code model}. */
  void answered(
      String model,
      String variant,
      long latencyNanos,
      List<Tensor> outputs,
      Optional<String> requestId);

  /** A variant failed a request of {@code model} (before any fallback). */
  void failed(String model, String variant, long latencyNanos, ErrorCode code);

  /** A shadow variant answered a copy of a request; {@code diff} compares it with the primary. */
  void shadowed(String model, String variant, ShadowDiff diff);

  /** A shadow copy was dropped because the shadow queue was full (or the shadow failed). */
  void shadowDropped(String model, String variant);
}
