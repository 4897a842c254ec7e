package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution slot: runs its session for the requested outputs only. Every native tensor and
 * result it creates is closed before {@link #execute} returns, whatever happens.
 *
 * <p>Threading: {@link #execute} is not called concurrently on one instance (the SPI contract);
 * instances sharing a session run concurrently, which ONNX Runtime sessions allow.
 */
final class OnnxModelInstance implements ModelInstance {
  private static final Logger log = LoggerFactory.getLogger(OnnxModelInstance.class);

  private final String modelName;
  private final int index;
  private final SessionHandle session;
  private final boolean ownsSession;
  private final ModelSignature signature;
  private final InputTensorFactory inputFactory;
  private final InputTensorFactory.Staging staging = new InputTensorFactory.Staging();
  private final PinnedOutputs pinned;
  private volatile boolean closed;

  OnnxModelInstance(
      String modelName,
      int index,
      SessionHandle session,
      boolean ownsSession,
      ModelSignature signature,
      InputTensorFactory inputFactory,
      PinnedOutputs pinned) {
    this.pinned = pinned;
    this.modelName = modelName;
    this.index = index;
    this.session = session;
    this.ownsSession = ownsSession;
    this.signature = signature;
    this.inputFactory = inputFactory;
  }

  @Override
  public List<Tensor> execute(List<Tensor> inputs, List<String> outputNames) {
    if (closed || session.isClosed()) {
      throw InferenceException.unavailable(
          "model '" + modelName + "' instance " + index + " is closed");
    }
    checkNames(inputs, outputNames);
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    Map<String, PinnedOutputs.Pin> pins = Map.of();
    try {
      for (Tensor input : inputs) {
        feeds.put(input.name(), inputFactory.create(input, staging));
      }
      pins = pinned.pin(inputs, outputNames);
      if (!pins.isEmpty()) {
        try {
          return run(feeds, outputNames, pins);
        } catch (OrtException refused) {
          // A pinned shape that is not the one ONNX Runtime computed (the model's dimension names
          // do not hold), or a failure of the model itself: run again the ordinary way, which
          // reports the latter; the former pins nothing on this instance from now on.
          PinnedOutputs.close(pins);
          pins = Map.of();
          List<Tensor> outputs = run(feeds, outputNames, pins);
          pinned.disable();
          log.info(
              "model '{}' instance {}: outputs are no longer written into kept buffers ({})",
              modelName,
              index,
              refused.getMessage());
          return outputs;
        }
      }
      return run(feeds, outputNames, pins);
    } catch (OrtException e) {
      throw OrtErrors.runFailure(modelName, e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // ONNX Runtime's Java layer reports some failures (buffer limits, closed objects) this way.
      throw InferenceException.internal(
          "model '" + modelName + "': ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
      PinnedOutputs.close(pins);
    }
  }

  /** One run: pinned outputs are written into their buffers, the others come from the result. */
  private List<Tensor> run(
      Map<String, OnnxTensor> feeds, List<String> outputNames, Map<String, PinnedOutputs.Pin> pins)
      throws OrtException {
    Set<String> allocated = new LinkedHashSet<>();
    Map<String, OnnxValue> written = new LinkedHashMap<>();
    for (String name : outputNames) {
      PinnedOutputs.Pin pin = pins.get(name);
      if (pin == null) {
        allocated.add(name);
      } else {
        written.put(name, pin.tensor());
      }
    }
    try (Result result = session.session().run(feeds, allocated, written)) {
      List<Tensor> outputs = new ArrayList<>(outputNames.size());
      for (String name : outputNames) {
        PinnedOutputs.Pin pin = pins.get(name);
        if (pin != null) {
          outputs.add(pinned.read(name, pin));
          continue;
        }
        OnnxValue value =
            result
                .get(name)
                .orElseThrow(
                    () ->
                        InferenceException.internal(
                            "model '" + modelName + "': ONNX Runtime returned no '" + name + "'",
                            null));
        outputs.add(OutputTensorReader.read(name, value));
      }
      return outputs;
    }
  }

  private void checkNames(List<Tensor> inputs, List<String> outputNames) {
    for (Tensor input : inputs) {
      TensorSpec spec =
          signature
              .input(input.name())
              .orElseThrow(
                  () ->
                      InferenceException.invalidArgument(
                          "model '"
                              + modelName
                              + "': unknown input '"
                              + input.name()
                              + "' (expected one of "
                              + names(signature.inputs())
                              + ")"));
      checkTypeAndShape(input, spec);
    }
    for (TensorSpec spec : signature.inputs()) {
      if (inputs.stream().noneMatch(input -> input.name().equals(spec.name()))) {
        throw InferenceException.invalidArgument(
            "model '" + modelName + "': missing input '" + spec.name() + "'");
      }
    }
    if (outputNames.isEmpty()) {
      throw InferenceException.invalidArgument(
          "model '" + modelName + "': no outputs requested (expected at least one)");
    }
    for (String name : outputNames) {
      if (signature.output(name).isEmpty()) {
        throw InferenceException.invalidArgument(
            "model '"
                + modelName
                + "': unknown output '"
                + name
                + "' (expected one of "
                + names(signature.outputs())
                + ")");
      }
    }
  }

  private void checkTypeAndShape(Tensor input, TensorSpec spec) {
    if (input.dataType() != spec.dataType()) {
      throw InferenceException.invalidArgument(
          "model '"
              + modelName
              + "': input '"
              + input.name()
              + "' has datatype "
              + input.dataType()
              + " (expected: "
              + spec.dataType()
              + ")");
    }
    long[] expected = spec.shape();
    long[] actual = input.shape();
    boolean matches = actual.length == expected.length;
    for (int i = 0; matches && i < actual.length; i++) {
      matches = expected[i] == -1 || expected[i] == actual[i];
    }
    if (!matches) {
      throw InferenceException.invalidArgument(
          "model '"
              + modelName
              + "': input '"
              + input.name()
              + "' has shape "
              + Arrays.toString(actual)
              + " (expected: "
              + Arrays.toString(expected)
              + ", -1 is any size)");
    }
  }

  private static List<String> names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList();
  }

  /** This instance's output buffers (tests). */
  PinnedOutputs pinnedOutputs() {
    return pinned;
  }

  /** Closes this instance's own session; a shared session stays with the model. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (ownsSession) {
      session.close();
    }
  }
}
