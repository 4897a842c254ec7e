package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import dev.infera.spi.Backend;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelLoadRequest;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime backend: serves {@code model.onnx} files with ONNX Runtime (Java API 1.28).
 * Selected by {@code backend: "onnxruntime"} or {@code platform: "onnxruntime_onnx"}.
 *
 * <p><b>Environment.</b> ONNX Runtime allows one environment per process. This backend obtains it
 * on the first {@link #load}, not in its constructor, so that merely discovering the backend does
 * not load the native library. {@link #close} releases nothing native: in 1.28 closing the Java
 * environment is a no-op and ONNX Runtime frees it at JVM exit; sessions are freed by their models.
 *
 * <p><b>Threads.</b> Session settings come from the model configuration's {@code parameters}, with
 * Triton's names ({@link SessionSettings} lists them). The defaults never oversubscribe the cores:
 * each session gets {@code max(1, availableProcessors / instanceCount)} intra-op threads, one
 * inter-op thread, and sequential execution; each instance has its own session unless {@code
 * share_session_between_instances} is set (see {@link OnnxModel} for why).
 *
 * <p><b>Data types.</b> Every protocol datatype ONNX has is supported, BF16 included. UINT16,
 * UINT32 and UINT64 inputs go through {@link UnsignedTensorFactory}, since ONNX Runtime's public
 * Java API cannot create them. BYTES map to ONNX string tensors, which ONNX Runtime Java passes
 * through JNI's modified UTF-8: inputs must be valid UTF-8; characters outside the Basic
 * Multilingual Plane reach the model as surrogate pairs (6 bytes) and NUL as {@code C0 80}; string
 * outputs a model creates itself lose 4-byte UTF-8 sequences and are cut at a NUL byte. Values
 * passed through unchanged (identity) round-trip exactly.
 *
 * <p>Threading: {@link #load} may run concurrently for different models. The public no-argument
 * constructor is what {@link java.util.ServiceLoader} uses.
 */
public final class OnnxRuntimeBackend implements Backend {
  private static final Logger log = LoggerFactory.getLogger(OnnxRuntimeBackend.class);
  private static final String DEFAULT_MODEL_FILE = "model.onnx";

  private final IntSupplier availableProcessors;
  private OrtEnvironment env;
  private boolean closed;

  /** A backend sizing thread pools by {@link Runtime#availableProcessors()}. */
  public OnnxRuntimeBackend() {
    this(Runtime.getRuntime()::availableProcessors);
  }

  /** A backend sizing thread pools by the given processor count, for tests. */
  OnnxRuntimeBackend(IntSupplier availableProcessors) {
    this.availableProcessors = availableProcessors;
  }

  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("onnxruntime_onnx");
  }

  @Override
  public Set<String> defaultModelFileNames() {
    return Set.of(DEFAULT_MODEL_FILE);
  }

  @Override
  public OptionalInt coresPerInstance(Map<String, String> parameters) {
    return SessionSettings.coresPerInstance(parameters);
  }

  @Override
  public LoadedModel load(ModelLoadRequest request) {
    String model = request.modelName();
    Path file = modelFile(request);
    if (!Files.isRegularFile(file)) {
      throw InferenceException.notFound(
          "model '"
              + model
              + "' version "
              + request.version()
              + ": model file '"
              + file
              + "' "
              + (Files.exists(file) ? "is not a regular file" : "does not exist"));
    }
    SessionSettings settings =
        SessionSettings.parse(
            model, request.parameters(), request.instanceCount(), availableProcessors.getAsInt());
    OrtEnvironment environment = environment();
    SessionFactory sessions =
        new SessionFactory(environment, model, file, settings, request.instanceKind());
    OnnxModel loaded = OnnxModel.open(environment, model, file.toString(), sessions);
    log.info(
        "loaded model '{}' version {}: {} instance(s), {}",
        model,
        request.version(),
        request.instanceCount(),
        sessions);
    return loaded;
  }

  private static Path modelFile(ModelLoadRequest request) {
    String name = request.modelFileName().orElse(DEFAULT_MODEL_FILE);
    Path directory = request.versionDirectory().toAbsolutePath().normalize();
    Path file = directory.resolve(name).normalize();
    if (name.isBlank() || !file.startsWith(directory) || file.equals(directory)) {
      throw InferenceException.invalidArgument(
          "model '"
              + request.modelName()
              + "': model file name '"
              + name
              + "' (expected: a file inside the version folder "
              + directory
              + ")");
    }
    return file;
  }

  private synchronized OrtEnvironment environment() {
    if (closed) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION, "the onnxruntime backend is closed");
    }
    if (env == null) {
      if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
        throw new InferenceException(
            ErrorCode.UNIMPLEMENTED, "the onnxruntime backend needs a little-endian platform");
      }
      try {
        env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "infera");
      } catch (RuntimeException | LinkageError e) {
        throw new InferenceException(
            ErrorCode.INTERNAL,
            "ONNX Runtime's native library could not be loaded ("
                + e
                + "); if java.io.tmpdir is not executable, pre-extract the libraries and set"
                + " -Donnxruntime.native.path",
            e);
      }
    }
    return env;
  }

  /** Marks the backend closed; idempotent. Models it loaded close their own sessions. */
  @Override
  public synchronized void close() {
    closed = true;
    env = null;
  }
}
