package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * One loaded ONNX model version.
 *
 * <p>Sessions: by default each instance opens its own session, as Triton's ONNX Runtime backend
 * does. Each session has its own intra-op thread pool sized by {@link SessionSettings}, so N
 * instances run at most N × intra-op threads, never more than the cores; the cost is the model's
 * weights in memory once per instance. With {@code share_session_between_instances} the instances
 * share one session (ONNX Runtime sessions accept concurrent runs): weights are held once, for
 * large models on few instances. The session opened at load time to read the signature is handed to
 * the first instance rather than opened twice.
 *
 * <p>Threading: {@link #newInstance} and {@link #close} synchronize on this model; {@link
 * #signature} is immutable.
 */
final class OnnxModel implements LoadedModel {
  private final String name;
  private final SessionFactory sessions;
  private final ModelSignature signature;
  private final InputTensorFactory inputs;
  private final PinnedOutputs.Shapes outputShapes;
  private final OrtEnvironment env;
  private final List<SessionHandle> opened = new ArrayList<>();
  private SessionHandle shared;
  private SessionHandle spare;
  private boolean closed;

  private OnnxModel(
      String name,
      SessionFactory sessions,
      SessionHandle first,
      ModelSignature signature,
      PinnedOutputs.Shapes outputShapes,
      OrtEnvironment env) {
    this.name = name;
    this.outputShapes = outputShapes;
    this.env = env;
    this.sessions = sessions;
    this.signature = signature;
    this.inputs = new InputTensorFactory(env);
    this.opened.add(first);
    if (sessions.settings().shareSession()) {
      this.shared = first;
    } else {
      this.spare = first;
    }
  }

  /** Opens the model file once and reads its signature. */
  static OnnxModel open(OrtEnvironment env, String name, String file, SessionFactory sessions) {
    SessionHandle first = sessions.open();
    try {
      ModelSignature signature = OnnxTypes.signature(first.session(), file);
      return new OnnxModel(
          name, sessions, first, signature, PinnedOutputs.Shapes.of(first.session()), env);
    } catch (OrtException e) {
      first.close();
      throw OrtErrors.loadFailure(name, file, e);
    } catch (RuntimeException e) {
      first.close();
      throw e;
    }
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  /** How many of this model's sessions are open now (one per instance unless shared). */
  synchronized int openSessionCount() {
    return (int) opened.stream().filter(session -> !session.isClosed()).count();
  }

  @Override
  public synchronized ModelInstance newInstance(int index) {
    if (closed) {
      throw InferenceException.unavailable("model '" + name + "' is closed");
    }
    if (shared != null) {
      return new OnnxModelInstance(name, index, shared, false, signature, inputs, outputs());
    }
    SessionHandle session = spare;
    spare = null;
    if (session == null) {
      opened.removeIf(SessionHandle::isClosed);
      session = sessions.open();
      opened.add(session);
    }
    return new OnnxModelInstance(name, index, session, true, signature, inputs, outputs());
  }

  /** A new instance's own output buffers. */
  private PinnedOutputs outputs() {
    return new PinnedOutputs(env, outputShapes);
  }

  /** Closes every session this model opened; idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    shared = null;
    spare = null;
    opened.forEach(SessionHandle::close);
    opened.clear();
  }

  @Override
  public String toString() {
    return "OnnxModel[" + name + ", " + sessions + "]";
  }
}
