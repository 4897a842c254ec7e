package dev.infera.core.contract;

import static dev.infera.spi.InferenceException.invalidArgument;

import dev.infera.core.InferenceRequest;
import dev.infera.core.RequestedOutput;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.NonFiniteValues;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a request against a model version's {@link ModelInterface} and turns it into a {@link
 * ScheduledRequest}: every input present once, of the declared type, of an accepted shape, with one
 * batch size within {@code max_batch_size}; no non-finite value the model cannot take; every
 * requested output known; the priority within the model's levels. Inputs with a {@code reshape} are
 * reshaped to what the model takes. Every failure is INVALID_ARGUMENT naming the tensor and what
 * was expected.
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestValidator {
  private final String label;
  private final ModelInterface contract;
  private final int priorityLevels;
  private final Map<String, TensorContract> inputsByName = new HashMap<>();
  private final Map<String, TensorContract> outputsByName = new HashMap<>();
  private final List<String> allOutputs;
  private final NonFiniteCheck nonFinite;

  /**
   * @param label the model and version, as messages name them ({@code model 'x' version '1'})
   * @param contract what the version offers
   * @param priorityLevels the configured priority levels; 0 when the model has none
   * @param nonFinite the non-finite floating-point input values the model takes
   */
  public RequestValidator(
      String label, ModelInterface contract, int priorityLevels, NonFiniteValues nonFinite) {
    this.label = label;
    this.nonFinite = new NonFiniteCheck(label, nonFinite);
    this.contract = contract;
    this.priorityLevels = priorityLevels;
    contract.inputs().forEach(input -> inputsByName.put(input.name(), input));
    contract.outputs().forEach(output -> outputsByName.put(output.name(), output));
    this.allOutputs = contract.outputs().stream().map(TensorContract::name).toList();
  }

  /** A validator for a model that takes every non-finite value. */
  public RequestValidator(String label, ModelInterface contract, int priorityLevels) {
    this(label, contract, priorityLevels, NonFiniteValues.ANY);
  }

  /**
   * @param callerTimeout how long the caller waits for the request to start executing, from its
   *     timeout and deadline; empty for no limit
   */
  public ScheduledRequest validate(InferenceRequest request, Optional<Duration> callerTimeout) {
    int rows = checkInputs(request.inputs());
    List<Tensor> modelInputs = new ArrayList<>(request.inputs().size());
    for (TensorContract input : contract.inputs()) {
      Tensor given = find(request.inputs(), input.name());
      modelInputs.add(toModelShape(given, input));
    }
    return new ScheduledRequest(
        modelInputs,
        outputNames(request.outputs()),
        rows,
        priority(request.options().priority()),
        callerTimeout,
        request.options().span(),
        request.options().warmup());
  }

  private int checkInputs(List<Tensor> inputs) {
    Map<String, Tensor> seen = new HashMap<>();
    for (Tensor tensor : inputs) {
      TensorContract expected = inputsByName.get(tensor.name());
      if (expected == null) {
        throw invalidArgument(
            label
                + ": unknown input '"
                + tensor.name()
                + "' (expected one of: "
                + names(contract.inputs())
                + ")");
      }
      if (seen.put(tensor.name(), tensor) != null) {
        throw invalidArgument(label + ": input '" + tensor.name() + "' is given more than once");
      }
      checkTensor(tensor, expected);
    }
    for (TensorContract expected : contract.inputs()) {
      if (!seen.containsKey(expected.name())) {
        throw invalidArgument(
            label
                + ": missing input '"
                + expected.name()
                + "' ("
                + expected.dataType()
                + " "
                + expected.describe(contract.batched())
                + ")");
      }
    }
    return batchRows(inputs);
  }

  private void checkTensor(Tensor tensor, TensorContract expected) {
    if (tensor.dataType() != expected.dataType()) {
      throw invalidArgument(
          label
              + ": input '"
              + tensor.name()
              + "' has datatype "
              + tensor.dataType()
              + " (expected "
              + expected.dataType()
              + ")");
    }
    long[] shape = tensor.shape();
    int offset = contract.batched() ? 1 : 0;
    if (!expected.accepts(shape, offset) || (contract.batched() && shape.length == 0)) {
      String hint =
          !contract.batched() && shape.length == expected.dims().length + 1
              ? "; the model does not support batching, so send no batch dimension"
              : "";
      throw invalidArgument(
          label
              + ": input '"
              + tensor.name()
              + "' has shape "
              + Arrays.toString(shape)
              + " (expected "
              + expected.describe(contract.batched())
              + hint
              + ")");
    }
    nonFinite.check(tensor);
  }

  private int batchRows(List<Tensor> inputs) {
    if (!contract.batched()) {
      return 1;
    }
    long rows = -1;
    for (Tensor tensor : inputs) {
      long batch = tensor.dim(0);
      if (rows >= 0 && batch != rows) {
        throw invalidArgument(
            label
                + ": inputs have different batch sizes: input '"
                + tensor.name()
                + "' has "
                + batch
                + " (expected "
                + rows
                + ", as the other inputs)");
      }
      rows = batch;
    }
    if (rows < 1 || rows > contract.maxBatchSize()) {
      throw invalidArgument(
          label
              + ": batch size "
              + rows
              + " (expected 1 to max_batch_size "
              + contract.maxBatchSize()
              + ")");
    }
    return (int) rows;
  }

  private Tensor toModelShape(Tensor given, TensorContract input) {
    if (input.modelDims().isEmpty()) {
      return given;
    }
    long[] modelDims = input.modelDims().get();
    long[] target;
    if (contract.batched()) {
      target = new long[modelDims.length + 1];
      target[0] = given.dim(0);
      System.arraycopy(modelDims, 0, target, 1, modelDims.length);
    } else {
      target = modelDims;
    }
    long known = 1;
    int dynamic = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        dynamic = i;
      } else {
        known *= target[i];
      }
    }
    if (dynamic >= 0 && known > 0) {
      target[dynamic] = given.elementCount() / known;
    }
    try {
      return given.withShape(target);
    } catch (IllegalArgumentException e) {
      throw invalidArgument(
          label
              + ": input '"
              + given.name()
              + "' with shape "
              + Arrays.toString(given.shape())
              + " cannot be reshaped to "
              + Arrays.toString(target));
    }
  }

  private List<String> outputNames(List<RequestedOutput> requested) {
    if (requested.isEmpty()) {
      return allOutputs;
    }
    List<String> names = new ArrayList<>(requested.size());
    for (RequestedOutput output : requested) {
      if (!outputsByName.containsKey(output.name())) {
        throw invalidArgument(
            label
                + ": unknown output '"
                + output.name()
                + "' requested (expected one of: "
                + names(contract.outputs())
                + ")");
      }
      if (names.contains(output.name())) {
        throw invalidArgument(label + ": output '" + output.name() + "' is requested twice");
      }
      names.add(output.name());
    }
    return names;
  }

  private int priority(int level) {
    if (priorityLevels == 0) {
      return 0; // a model without priority levels has one queue; the priority has no effect
    }
    // Beyond the model's levels: the default level, as Triton schedules it (0 means the default).
    return level > priorityLevels ? 0 : level;
  }

  private static Tensor find(List<Tensor> tensors, String name) {
    for (Tensor tensor : tensors) {
      if (tensor.name().equals(name)) {
        return tensor;
      }
    }
    throw new IllegalStateException("input '" + name + "' was checked to be present");
  }

  private static String names(List<TensorContract> contracts) {
    return contracts.stream().map(TensorContract::name).collect(Collectors.joining(", "));
  }

  /** Gives model outputs the shape the configuration promises (undoing {@code reshape}). */
  public Tensor toClientShape(Tensor output, int rows) {
    TensorContract declared = outputsByName.get(output.name());
    if (declared == null || declared.modelDims().isEmpty()) {
      return output;
    }
    long[] dims = declared.dims();
    long[] target = contract.batched() ? new long[dims.length + 1] : dims;
    if (contract.batched()) {
      target[0] = rows;
      System.arraycopy(dims, 0, target, 1, dims.length);
    }
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        return output;
      }
    }
    return output.withShape(target);
  }
}
