package dev.infera.backend.xgboost;

import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.NonFiniteValues;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One loaded XGBoost model version.
 *
 * <p>Tree models share one booster among all instances, since XGBoost's tree prediction is
 * thread-safe; linear models ({@code gblinear}, for which XGBoost does not promise that) get one
 * booster per instance, read from the model bytes kept for that purpose.
 */
final class XgboostModel implements LoadedModel {
  private final String displayName;
  private final ModelFile file;
  private final TensorLayout layout;
  private final FilOutputs outputs;
  private final Optional<BoosterPredictor> shared;
  private final byte[] modelBytes;
  private final int threadsPerInstance;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param shared the booster every instance uses, or empty to give each instance its own
   * @param modelBytes the model file's content, kept only when {@code shared} is empty
   */
  XgboostModel(
      String displayName,
      ModelFile file,
      TensorLayout layout,
      FilOutputs outputs,
      Optional<BoosterPredictor> shared,
      byte[] modelBytes,
      int threadsPerInstance) {
    this.displayName = displayName;
    this.file = file;
    this.layout = layout;
    this.outputs = outputs;
    this.shared = shared;
    this.modelBytes = shared.isPresent() ? null : modelBytes;
    this.threadsPerInstance = threadsPerInstance;
  }

  @Override
  public ModelSignature signature() {
    return layout.signature();
  }

  /** NaN is XGBoost's missing value; XGBoost refuses infinities ("Input data contains inf"). */
  @Override
  public NonFiniteValues acceptedNonFinite() {
    return NonFiniteValues.NAN_ONLY;
  }

  @Override
  public ModelInstance newInstance(int index) {
    if (closed.get()) {
      throw InferenceException.unavailable("model " + displayName + " is closed");
    }
    if (shared.isPresent()) {
      return new XgboostInstance(displayName, layout, outputs, shared.get(), false);
    }
    BoosterPredictor own = BoosterPredictor.load(modelBytes, file, threadsPerInstance);
    return new XgboostInstance(displayName, layout, outputs, own, true);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      shared.ifPresent(BoosterPredictor::close);
    }
  }
}
