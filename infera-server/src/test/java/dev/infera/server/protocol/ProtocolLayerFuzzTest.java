package dev.infera.server.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.infera.core.InferenceRequest;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the transport-independent protocol rules with inputs in a small framing of their own, so
 * that a seed can be written by hand (see docs/security.md):
 *
 * <ul>
 *   <li>{@link #wireTensor}: byte 0 the datatype (index into {@link DataType#values()}, modulo),
 *       byte 1 the rank (modulo 5), byte 2 a classification class count (0: none), then rank 8-byte
 *       little-endian signed dimensions, then the tensor's raw contents. The raw contents are
 *       decoded ({@link RawTensors}: BYTES length-prefix framing, shapes, element counts and byte
 *       sizes with overflow checks); a decoded tensor must match its shape and encode back to the
 *       same bytes, and is then classified ({@link Classification}) when a count is given.
 *   <li>{@link #parameters}: a sequence of entries, each a scope byte (0 request parameter, 1
 *       output parameter, 2 header), a name byte (an index into the parameter names this layer
 *       reads, or 0xFF followed by a length byte and that many UTF-8 bytes), a kind byte (0
 *       boolean, 1 long, 2 double, 3 string) and the value (1 byte, 8 bytes little-endian, 8 bytes,
 *       or a length byte and UTF-8 bytes). They are assembled by {@link InferenceRequests} into the
 *       typed request options and one output's options.
 * </ul>
 *
 * Each input either succeeds or is refused with a client error ({@link ClientErrorVerdict}).
 */
class ProtocolLayerFuzzTest {
  private static final DataType[] TYPES = DataType.values();
  private static final String[] NAMES = {
    RequestParameters.PRIORITY,
    RequestParameters.TIMEOUT,
    RequestParameters.BINARY_DATA_OUTPUT,
    RequestParameters.ROUTING_KEY,
    RequestParameters.BINARY_DATA,
    RequestParameters.BINARY_DATA_SIZE,
    RequestParameters.CLASSIFICATION,
    RequestParameters.SHARED_MEMORY_REGION,
    RequestParameters.SHARED_MEMORY_OFFSET,
    RequestParameters.SHARED_MEMORY_BYTE_SIZE,
    RequestParameters.TRACEPARENT,
    RequestParameters.TRACESTATE,
    RequestParameters.ROUTING_KEY_HEADER,
    "sequence_id",
    "sequence_start",
    "sequence_end",
  };

  @FuzzTest(maxDuration = "60s")
  void wireTensor(byte[] input) {
    if (input.length < 3) {
      return;
    }
    ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
    DataType type = TYPES[(in.get() & 0xff) % TYPES.length];
    int rank = (in.get() & 0xff) % 5;
    int classes = in.get() & 0xff;
    if (in.remaining() < rank * 8) {
      return;
    }
    long[] shape = new long[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = in.getLong();
    }
    ByteString raw = ByteString.copyFrom(in);
    Tensor tensor;
    try {
      tensor =
          RawTensors.decode(
              "x", type, shape, raw.asReadOnlyByteBuffer(), "raw contents", TensorShapes.UNLIMITED);
    } catch (InferenceException e) {
      ClientErrorVerdict.requireClientError(e, List.of("x"));
      return;
    }
    if (!Arrays.equals(tensor.shape(), shape) || tensor.elementCount() != count(shape)) {
      throw new AssertionError("decoded shape " + Arrays.toString(tensor.shape()));
    }
    if (!ByteString.copyFrom(RawTensors.encode(tensor)).equals(raw)) {
      throw new AssertionError("raw contents do not encode back to the same bytes");
    }
    if (classes > 0) {
      classify(tensor, classes);
    }
  }

  private static void classify(Tensor tensor, int classes) {
    Tensor top;
    try {
      top = Classification.topK(tensor, classes);
    } catch (InferenceException e) {
      ClientErrorVerdict.requireClientError(e, List.of("x"));
      return;
    }
    // Each batch entry's elements are its classes (topK(tensor, k): a model with a batch
    // dimension).
    long[] shape = tensor.shape();
    long entries = shape.length == 0 ? 1 : shape[0];
    long perEntry = 1;
    for (int d = 1; d < shape.length; d++) {
      perEntry *= shape[d];
    }
    long kept = shape.length == 0 ? Math.min(classes, 1) : Math.min(classes, perEntry);
    if (top.dataType() != DataType.BYTES
        || top.shape()[top.shape().length - 1] != kept
        || (shape.length > 0 && top.shape()[0] != entries)
        || top.elementCount() != entries * kept) {
      throw new AssertionError("classified shape " + Arrays.toString(top.shape()));
    }
  }

  private static long count(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return count;
  }

  @FuzzTest(maxDuration = "60s")
  void parameters(byte[] input) {
    ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, Object> request = new HashMap<>();
    Map<String, Object> output = new HashMap<>();
    Map<String, String> headers = new HashMap<>();
    List<String> sent = new ArrayList<>(List.of("m", "y"));
    while (in.remaining() >= 3) {
      int scope = (in.get() & 0xff) % 3;
      String name = name(in);
      Object value = name == null ? null : value(in);
      if (value == null) {
        break;
      }
      sent.add(name);
      if (value instanceof String text) {
        sent.add(text);
      }
      switch (scope) {
        case 0 -> request.put(name, value);
        case 1 -> output.put(name, value);
        default -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.valueOf(value));
      }
    }
    try {
      InferenceRequest assembled =
          InferenceRequests.assemble(
              "m",
              Optional.empty(),
              Optional.empty(),
              request,
              List.of(),
              List.of(new OutputRequest("y", output)),
              headers::get,
              options -> options);
      if (assembled.outputs().size() != 1 || !assembled.outputs().get(0).name().equals("y")) {
        throw new AssertionError("outputs " + assembled.outputs());
      }
    } catch (InferenceException e) {
      ClientErrorVerdict.requireClientError(e, sent);
    }
  }

  private static String name(ByteBuffer in) {
    int selector = in.get() & 0xff;
    if (selector != 0xFF) {
      return NAMES[selector % NAMES.length];
    }
    return text(in);
  }

  private static Object value(ByteBuffer in) {
    if (!in.hasRemaining()) {
      return null;
    }
    int kind = (in.get() & 0xff) % 4;
    return switch (kind) {
      case 0 -> in.hasRemaining() ? (Object) ((in.get() & 1) == 1) : null;
      case 1 -> in.remaining() >= 8 ? (Object) in.getLong() : null;
      case 2 -> in.remaining() >= 8 ? (Object) in.getDouble() : null;
      default -> text(in);
    };
  }

  private static String text(ByteBuffer in) {
    if (!in.hasRemaining()) {
      return null;
    }
    int length = in.get() & 0xff;
    if (in.remaining() < length) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
