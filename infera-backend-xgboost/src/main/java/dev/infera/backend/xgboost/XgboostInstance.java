package dev.infera.backend.xgboost;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One execution slot: turns the FP32 input rows into a native matrix, predicts, and converts
 * XGBoost's results into the requested outputs. Never called concurrently (the SPI's contract); the
 * booster it uses may be shared with other instances.
 */
final class XgboostInstance implements ModelInstance {
  private final String displayName;
  private final TensorLayout layout;
  private final FilOutputs outputs;
  private final BoosterPredictor predictor;
  private final boolean ownsPredictor;
  private final AtomicBoolean closed = new AtomicBoolean();

  XgboostInstance(
      String displayName,
      TensorLayout layout,
      FilOutputs outputs,
      BoosterPredictor predictor,
      boolean ownsPredictor) {
    this.displayName = displayName;
    this.layout = layout;
    this.outputs = outputs;
    this.predictor = predictor;
    this.ownsPredictor = ownsPredictor;
  }

  @Override
  public List<Tensor> execute(List<Tensor> inputs, List<String> outputNames) {
    if (closed.get()) {
      throw InferenceException.unavailable("an instance of model " + displayName + " is closed");
    }
    Tensor input = checkedInput(inputs);
    List<TensorLayout.Output> requested = outputNames.stream().map(layout::output).toList();
    if (requested.isEmpty()) {
      throw InferenceException.invalidArgument("no output requested");
    }
    int features = layout.numFeatures();
    long rowCount = input.dim(0);
    if (rowCount * features > Integer.MAX_VALUE - 8) {
      throw new InferenceException(
          ErrorCode.RESOURCE_EXHAUSTED,
          "input '" + input.name() + "': " + rowCount + " rows is too many for one batch");
    }
    int rows = (int) rowCount;
    BoosterPredictor.Predictions predictions = predict(input, rows, features, requested);
    List<Tensor> results = new ArrayList<>(requested.size());
    for (TensorLayout.Output output : requested) {
      float[] values =
          rows == 0
              ? new float[0]
              : outputs.compute(output, rows, predictions.values(), predictions.margins());
      results.add(tensor(output.name(), output.shape(rows), values));
    }
    return results;
  }

  private BoosterPredictor.Predictions predict(
      Tensor input, int rows, int features, List<TensorLayout.Output> requested) {
    if (rows == 0) {
      // XGBoost fails on an empty matrix; an empty batch has empty outputs.
      return new BoosterPredictor.Predictions(null, null);
    }
    boolean margins = false;
    boolean values = false;
    for (TensorLayout.Output output : requested) {
      if (output.kind().needsMargin(outputs.shape())) {
        margins = true;
      } else {
        values = true;
      }
    }
    float[] data = new float[rows * features];
    input.data().asFloatBuffer().get(data);
    try {
      return predictor.predict(data, rows, features, values, margins);
    } catch (XGBoostError | RuntimeException e) {
      String summary = NativeErrors.summary(e);
      if (NativeErrors.isInputFault(summary)) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            "XGBoost refused input '" + input.name() + "' of model " + displayName + ": " + summary,
            e);
      }
      throw InferenceException.internal(
          "XGBoost failed to predict for model " + displayName + ": " + summary, e);
    }
  }

  private Tensor checkedInput(List<Tensor> inputs) {
    String expected = layout.input().name();
    Tensor input = null;
    for (Tensor tensor : inputs) {
      if (!tensor.name().equals(expected)) {
        throw InferenceException.invalidArgument(
            "unexpected input '"
                + tensor.name()
                + "' (the model takes one input: '"
                + expected
                + "')");
      }
      input = tensor;
    }
    if (input == null || inputs.size() != 1) {
      throw InferenceException.invalidArgument(
          "expected exactly one input '" + expected + "', got " + inputs.size());
    }
    if (input.dataType() != DataType.FP32) {
      throw InferenceException.invalidArgument(
          "input '" + expected + "' is " + input.dataType() + " (expected FP32)");
    }
    long[] shape = input.shape();
    if (shape.length != 2 || shape[1] != layout.numFeatures()) {
      throw InferenceException.invalidArgument(
          "input '"
              + expected
              + "' has shape "
              + Arrays.toString(shape)
              + " (expected [batch, "
              + layout.numFeatures()
              + "]: the model has "
              + layout.numFeatures()
              + " features)");
    }
    return input;
  }

  private static Tensor tensor(String name, long[] shape, float[] values) {
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return Tensor.of(name, DataType.FP32, shape, buffer);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsPredictor) {
      predictor.close();
    }
  }
}
