package dev.infera.backend.xgboost;

import dev.infera.spi.Backend;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelLoadRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves XGBoost models with XGBoost4J, compatible with Triton's FIL backend: {@code backend:
 * "fil"} selects it, its {@code parameters} ({@code model_type}, {@code output_class}, {@code
 * predict_proba}, {@code threshold}) mean what they mean there, and its default file names ({@code
 * xgboost.json}, {@code xgboost.ubj}, {@code xgboost.model}) are found. See
 * docs/backends/xgboost.md.
 *
 * <p>Threading: {@link #load} may run concurrently for different models; it shares nothing between
 * models. Runs on CPU only: the XGBoost4J build on Maven Central has no CUDA support.
 */
public final class XgboostBackend implements Backend {
  private static final Logger log = LoggerFactory.getLogger(XgboostBackend.class);
  private static final byte[] GBLINEAR = "gblinear".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String name() {
    return "xgboost";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("fil");
  }

  /** FIL's names first ({@code xgboost.ubj, xgboost.json, xgboost.model}), then Infera's. */
  @Override
  public Set<String> defaultModelFileNames() {
    return ModelFile.DEFAULT_FILE_NAMES;
  }

  @Override
  public LoadedModel load(ModelLoadRequest request) {
    String displayName = "'" + request.modelName() + "' version " + request.version();
    FilParameters parameters = FilParameters.parse(request.parameters());
    if (request.instanceKind() == ModelLoadRequest.InstanceKind.GPU) {
      throw new InferenceException(
          ErrorCode.UNIMPLEMENTED,
          "model "
              + displayName
              + ": the XGBoost backend runs on CPU only (use instance_group kind KIND_CPU)");
    }
    ModelFile file =
        ModelFile.locate(
            request.versionDirectory(), request.modelFileName(), parameters.modelType());
    byte[] bytes = read(file);
    ModelFormat content = ModelFormat.fromContent(bytes);
    if (parameters.modelType().isPresent() && content != file.format()) {
      throw InferenceException.invalidArgument(
          "parameter 'model_type' is "
              + file.format().parameterValue()
              + " but model file '"
              + file.path()
              + "' holds XGBoost "
              + content.description()
              + " (model_type "
              + content.parameterValue()
              + ")");
    }
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / request.instanceCount());
    BoosterPredictor predictor = BoosterPredictor.load(bytes, file, threads);
    try {
      BoosterShape shape = predictor.probe();
      TensorLayout layout = TensorLayout.of(request.declared(), parameters, shape);
      boolean shareable = indexOf(bytes, GBLINEAR) < 0;
      if (!shareable) {
        predictor.close();
      }
      log.info(
          "model {}: {} ({}), {} features, {} output group(s), signature {}, {} thread(s) per"
              + " instance, {}",
          displayName,
          file.path().getFileName(),
          file.format().parameterValue(),
          shape.numFeatures(),
          shape.numGroups(),
          layout.signature(),
          threads,
          shareable ? "one booster shared by all instances" : "one booster per instance");
      return new XgboostModel(
          displayName,
          file,
          layout,
          new FilOutputs(shape, parameters.threshold()),
          shareable ? Optional.of(predictor) : Optional.empty(),
          bytes,
          threads);
    } catch (RuntimeException e) {
      predictor.close();
      throw e;
    }
  }

  private static byte[] read(ModelFile file) {
    try {
      return Files.readAllBytes(file.path());
    } catch (NoSuchFileException e) {
      throw InferenceException.notFound("model file '" + file.path() + "' does not exist");
    } catch (IOException e) {
      throw InferenceException.internal(
          "cannot read model file '" + file.path() + "': " + e.getMessage(), e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Nothing to release: each model owns its boosters. */
  @Override
  public void close() {}
}
