package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelLoadRequest.InstanceKind;
import java.nio.file.Path;

/**
 * Opens ONNX Runtime sessions for one model file with one set of {@link SessionSettings}. GPU
 * instances use the CUDA execution provider on device 0, which needs the {@code onnxruntime_gpu}
 * build; with the CPU build, opening fails with {@link ErrorCode#FAILED_PRECONDITION}.
 *
 * <p>Thread-safe: each call builds its own session options.
 */
final class SessionFactory {
  private final OrtEnvironment env;
  private final String modelName;
  private final Path file;
  private final SessionSettings settings;
  private final InstanceKind kind;

  SessionFactory(
      OrtEnvironment env,
      String modelName,
      Path file,
      SessionSettings settings,
      InstanceKind kind) {
    this.env = env;
    this.modelName = modelName;
    this.file = file;
    this.settings = settings;
    this.kind = kind;
  }

  SessionSettings settings() {
    return settings;
  }

  /** Opens a new session; the caller closes it. */
  SessionHandle open() {
    try (SessionOptions options = options()) {
      return new SessionHandle(env.createSession(file.toString(), options));
    } catch (OrtException e) {
      throw OrtErrors.loadFailure(modelName, file.toString(), e);
    }
  }

  private SessionOptions options() throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setExecutionMode(settings.executionMode());
      options.setOptimizationLevel(settings.optimizationLevel());
      options.setCPUArenaAllocator(settings.memoryArena());
      options.setMemoryPatternOptimization(settings.memoryPattern());
      String spinning = settings.spinning() ? "1" : "0";
      options.addConfigEntry("session.intra_op.allow_spinning", spinning);
      options.addConfigEntry("session.inter_op.allow_spinning", spinning);
      if (kind == InstanceKind.GPU) {
        addCuda(options);
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private void addCuda(SessionOptions options) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          "model '"
              + modelName
              + "': a GPU instance needs ONNX Runtime's CUDA execution provider, which this"
              + " ONNX Runtime build lacks (available: "
              + OrtEnvironment.getAvailableProviders()
              + "); build with the onnxruntime_gpu profile or use instance kind CPU");
    }
    try {
      options.addCUDA(0);
    } catch (OrtException e) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          "model '"
              + modelName
              + "': cannot use ONNX Runtime's CUDA execution provider: "
              + OrtErrors.reason(e),
          e);
    }
  }

  @Override
  public String toString() {
    return file + " " + settings + (kind == InstanceKind.GPU ? " on CUDA device 0" : " on CPU");
  }
}
