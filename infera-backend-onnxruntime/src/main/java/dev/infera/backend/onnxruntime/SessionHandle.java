package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open ONNX Runtime session with an idempotent {@link #close}. ONNX Runtime sessions may run
 * concurrently from several threads; closing one that is running is not allowed, which the model
 * lifecycle guarantees (a model is closed after its executions finished).
 */
final class SessionHandle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionHandle.class);

  private final OrtSession session;
  private final AtomicBoolean closed = new AtomicBoolean();

  SessionHandle(OrtSession session) {
    this.session = session;
  }

  OrtSession session() {
    return session;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Releases the native session once; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        session.close();
      } catch (OrtException e) {
        // Nothing a caller could do; the session's memory is lost to the process either way.
        log.warn("closing an ONNX Runtime session failed: {}", OrtErrors.reason(e));
      }
    }
  }
}
