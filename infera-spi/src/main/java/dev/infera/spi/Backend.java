package dev.infera.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A backend plugin: one per runtime (ONNX Runtime, XGBoost), found with {@link
 * java.util.ServiceLoader}. It turns model files into {@link LoadedModel}s.
 *
 * <p>Threading: {@link #load} may be called from several lifecycle threads at once, for different
 * models. A backend owns whatever it shares between models (a runtime environment) and releases it
 * in {@link #close}, which Infera calls once, after every model it loaded was closed.
 */
public interface Backend extends AutoCloseable {

  /** The name a model configuration's {@code backend} field uses, such as {@code onnxruntime}. */
  String name();

  /**
   * Other names that select this backend: Triton {@code platform} values such as {@code
   * onnxruntime_onnx}, or compatible backends' names such as {@code fil}.
   */
  Set<String> aliases();

  /**
   * The model file names this backend looks for in a version folder when the configuration names
   * none, in order of preference. Used to pick a backend for a model without configuration.
   */
  Set<String> defaultModelFileNames();

  /** Whether a version folder holds a model this backend can load without configuration. */
  default boolean recognizes(Path versionDirectory) {
    for (String file : defaultModelFileNames()) {
      if (versionDirectory.resolve(file).toFile().isFile()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the backend its settings and meters; called once, before the first {@link #load}. The
   * default ignores them.
   */
  default void configure(BackendContext context) {}

  /**
   * The processor cores one instance of a model keeps busy while it executes, from the model's
   * parameters (its configuration's, over the backend's defaults): a batch job that owns the
   * machine runs as many instances as fill the cores ({@code infera batch --instances auto}).
   * Empty, the default, when the backend shares the cores among a model's instances itself or
   * cannot tell; the configured count then stands. Must not throw: a bad value is the load's to
   * report.
   */
  default OptionalInt coresPerInstance(Map<String, String> parameters) {
    return OptionalInt.empty();
  }

  /**
   * Loads one model version. Failures are thrown as {@link InferenceException} with a message
   * naming the file and what went wrong; the caller marks the version unavailable with it.
   */
  LoadedModel load(ModelLoadRequest request);

  @Override
  void close();
}
