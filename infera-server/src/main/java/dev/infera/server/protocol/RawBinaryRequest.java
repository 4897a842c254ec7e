package dev.infera.server.protocol;

import dev.infera.core.ModelMetadata;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Triton's raw binary request: a body that is nothing but the data of a model's one input (REST,
 * {@code Inference-Header-Content-Length: 0}). The input's datatype and shape come from the model:
 * a batching model gets a batch of one; a fixed-size input may have one variable dimension, sized
 * from the body; a BYTES input must have shape {@code [1]} and the whole body is its one element.
 * Every output is answered as binary data, as Triton does. Failures are INVALID_ARGUMENT naming the
 * model and what it would need. Stateless.
 */
public final class RawBinaryRequest {
  private RawBinaryRequest() {}

  /**
   * The one input the body carries, for the model (or version) {@code model} describes.
   *
   * @param body the request body; a fixed-size tensor views it
   */
  public static Tensor input(ModelMetadata model, ByteBuffer body, TensorShapes shapes) {
    String label = "model '" + model.name() + "'";
    if (model.inputs().size() != 1) {
      throw InferenceException.invalidArgument(
          label
              + ": a raw binary request (Inference-Header-Content-Length: 0) carries one input,"
              + " but the model has "
              + model.inputs().size());
    }
    TensorSpec spec = model.inputs().get(0);
    long[] dims = spec.shape();
    long[] shape = dims.clone();
    int first = 0;
    if (model.maxBatchSize() > 0 && shape.length > 0) {
      shape[0] = 1; // the batch dimension: one row, as Triton does
      first = 1;
    }
    int variable = -1;
    long fixedElements = 1;
    for (int i = first; i < shape.length; i++) {
      if (shape[i] >= 0) {
        fixedElements = Math.multiplyExact(fixedElements, shape[i]);
      } else if (variable < 0) {
        variable = i;
      } else {
        throw InferenceException.invalidArgument(
            label
                + ": the shape of input '"
                + spec.name()
                + "' "
                + Arrays.toString(dims)
                + " cannot be deduced from a raw binary request: it has more than one variable"
                + " dimension");
      }
    }
    if (spec.dataType() == DataType.BYTES) {
      if (variable >= 0 || fixedElements != 1) {
        throw InferenceException.invalidArgument(
            label
                + ": a raw binary request for BYTES input '"
                + spec.name()
                + "' needs the input's shape to be [1], not "
                + Arrays.toString(dims));
      }
      byte[] element = new byte[body.remaining()];
      body.duplicate().get(element);
      return Tensor.ofBytes(spec.name(), shape, List.of(element));
    }
    if (variable >= 0) {
      long rowBytes = fixedElements * spec.dataType().byteSize();
      if (rowBytes == 0 || body.remaining() % rowBytes != 0) {
        throw InferenceException.invalidArgument(
            "input '"
                + spec.name()
                + "': the raw binary request's "
                + body.remaining()
                + " bytes are not a whole number of "
                + spec.dataType()
                + " rows of shape "
                + Arrays.toString(dims)
                + " ("
                + rowBytes
                + " bytes each)");
      }
      shape[variable] = body.remaining() / rowBytes;
    }
    return RawTensors.decode(
        spec.name(), spec.dataType(), shape, body, "the raw binary request", shapes);
  }
}
