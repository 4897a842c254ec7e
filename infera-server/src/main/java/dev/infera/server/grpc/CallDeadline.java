package dev.infera.server.grpc;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.InferenceRequest;
import dev.infera.core.contract.RequestValidator;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.grpc.Context;
import io.grpc.Deadline;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Carries a call's gRPC deadline into the engine as the request's {@code timeout} parameter (its
 * caller's deadline, in microseconds), keeping the shorter of the two when the client sent both.
 * Armeria keeps the {@code grpc-timeout} header as the request's timeout rather than in the gRPC
 * {@link Context}, so both are read.
 */
final class CallDeadline {
  private CallDeadline() {}

  /**
   * The request with its deadline applied.
   *
   * @throws InferenceException DEADLINE_EXCEEDED when the deadline already passed
   */
  static InferenceRequest apply(InferenceRequest request) {
    OptionalLong remaining = remainingMicros();
    if (remaining.isEmpty()) {
      return request;
    }
    long micros = remaining.getAsLong();
    if (micros <= 0) {
      throw new InferenceException(
          ErrorCode.DEADLINE_EXCEEDED, "the call's deadline passed before the request was queued");
    }
    Object asked = request.parameters().get(RequestValidator.TIMEOUT);
    if (asked instanceof Long timeout && timeout > 0 && timeout <= micros) {
      return request;
    }
    Map<String, Object> parameters = new HashMap<>(request.parameters());
    parameters.put(RequestValidator.TIMEOUT, micros);
    return new InferenceRequest(
        request.modelName(),
        request.modelVersion(),
        request.id(),
        request.inputs(),
        request.outputs(),
        parameters);
  }

  /** The time left to the call, in microseconds; empty when it has no deadline. */
  static OptionalLong remainingMicros() {
    long best = Long.MAX_VALUE;
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      best = deadline.timeRemaining(TimeUnit.MICROSECONDS);
    }
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    if (ctx != null && ctx.requestTimeoutMillis() > 0) {
      best = Math.min(best, ctx.requestTimeoutMillis() * 1000 - elapsedMicros(ctx));
    }
    return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
  }

  private static long elapsedMicros(ServiceRequestContext ctx) {
    try {
      return (System.nanoTime() - ctx.log().partial().requestStartTimeNanos()) / 1000;
    } catch (RuntimeException notYetKnown) {
      return 0;
    }
  }
}
