package dev.infera.server.rest;

import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.Executor;

/**
 * Where CPU work proportional to a payload (decoding a request, encoding a response) runs: on the
 * request's event loop when the payload is small, on the service's blocking task executor when it
 * is large, so that one big tensor does not stall every connection sharing the event loop.
 */
final class PayloadExecutors {
  /** Payloads below this many bytes are handled on the event loop. */
  static final int INLINE_LIMIT_BYTES = 256 * 1024;

  private PayloadExecutors() {}

  static Executor forPayload(ServiceRequestContext ctx, long bytes) {
    return onEventLoop(bytes) ? ctx.eventLoop() : ctx.blockingTaskExecutor();
  }

  /** Whether a payload of {@code bytes} is handled on the event loop. */
  static boolean onEventLoop(long bytes) {
    return bytes < INLINE_LIMIT_BYTES;
  }
}
