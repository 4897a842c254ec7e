package dev.infera.server.grpc;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.Deadline;
import dev.infera.core.RequestOptions;
import io.grpc.Context;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A call's gRPC deadline as the request's typed {@link Deadline}, on the engine's clock ({@link
 * System#nanoTime()}). Armeria keeps the {@code grpc-timeout} header as the request's timeout
 * rather than in the gRPC {@link Context}, so both are read and the earlier one wins. The engine
 * applies the earlier of this deadline and the request's own {@code timeout} parameter.
 */
final class CallDeadline {
  private CallDeadline() {}

  /** The options with the current call's deadline, when it has one. */
  static RequestOptions.Builder apply(RequestOptions.Builder options) {
    long now = System.nanoTime();
    OptionalLong remaining = remainingNanos(now);
    if (remaining.isPresent()) {
      options.deadline(new Deadline(now + remaining.getAsLong()));
    }
    return options;
  }

  /** The time left to the call, in nanoseconds; empty when it has no deadline. */
  private static OptionalLong remainingNanos(long now) {
    long best = Long.MAX_VALUE;
    io.grpc.Deadline grpc = Context.current().getDeadline();
    if (grpc != null) {
      best = grpc.timeRemaining(TimeUnit.NANOSECONDS);
    }
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    if (ctx != null && ctx.requestTimeoutMillis() > 0) {
      long left =
          TimeUnit.MILLISECONDS.toNanos(ctx.requestTimeoutMillis()) - elapsedNanos(ctx, now);
      best = Math.min(best, left);
    }
    return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
  }

  private static long elapsedNanos(ServiceRequestContext ctx, long now) {
    try {
      return now - ctx.log().partial().requestStartTimeNanos();
    } catch (RuntimeException notYetKnown) {
      return 0;
    }
  }
}
