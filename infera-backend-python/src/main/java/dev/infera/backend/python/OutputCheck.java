package dev.infera.backend.python;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Checks what {@code execute} returned for one request against the configuration: each output's
 * type, rank and fixed dimensions, and, for a batching model, that its batch dimension equals the
 * request's. A mismatch is the model's fault: INTERNAL, naming the output and what was expected.
 */
final class OutputCheck {
  private final String where;
  private final ModelSignature signature;
  private final boolean batched;

  OutputCheck(String where, ModelSignature signature, boolean batched) {
    this.where = where;
    this.signature = signature;
    this.batched = batched;
  }

  /** Null when the outputs are right, else the error for the request. */
  InferenceException problem(List<Tensor> inputs, List<Tensor> outputs) {
    long rows =
        batched && !inputs.isEmpty() && inputs.get(0).rank() > 0 ? inputs.get(0).dim(0) : -1;
    for (Tensor output : outputs) {
      TensorSpec spec = signature.output(output.name()).orElse(null);
      if (spec == null) {
        return failure("returned output '" + output.name() + "', which the configuration lacks");
      }
      if (spec.dataType() != output.dataType()) {
        return failure(
            "output '"
                + output.name()
                + "' is "
                + output.dataType()
                + " (expected "
                + spec.dataType()
                + ", as the configuration declares)");
      }
      if (!fits(spec.shape(), output.shape(), rows)) {
        return failure(
            "output '"
                + output.name()
                + "' has shape "
                + Arrays.toString(output.shape())
                + " (expected "
                + Arrays.toString(expected(spec.shape(), rows))
                + ", -1 any size)");
      }
    }
    return null;
  }

  private static boolean fits(long[] declared, long[] actual, long rows) {
    if (declared.length != actual.length) {
      return false;
    }
    long[] expected = expected(declared, rows);
    for (int i = 0; i < actual.length; i++) {
      if (expected[i] != -1 && expected[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  private static long[] expected(long[] declared, long rows) {
    long[] expected = declared.clone();
    if (rows >= 0 && expected.length > 0) {
      expected[0] = rows;
    }
    return expected;
  }

  private InferenceException failure(String what) {
    return new InferenceException(ErrorCode.INTERNAL, where + ": model.py " + what);
  }
}
