package dev.infera.server.rest;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;

/**
 * What the REST decoder's fuzz tests accept as a failure: an {@link InferenceException} a client
 * caused, which the edge answers with a 4xx status, or 501 for a protocol extension the server does
 * not implement (shared memory). Anything else (another exception, a 5xx code) is a finding.
 */
final class FuzzVerdicts {
  private FuzzVerdicts() {}

  static void requireClientError(InferenceException e) {
    int status = HttpStatusMapping.statusOf(e.code()).code();
    boolean clientError = status >= 400 && status < 500;
    if (!clientError && e.code() != ErrorCode.UNIMPLEMENTED) {
      throw new AssertionError("decoding answered " + status + " (" + e.code() + ")", e);
    }
    if (e.getMessage() == null || e.getMessage().isBlank()) {
      throw new AssertionError("a refusal without a message", e);
    }
  }
}
