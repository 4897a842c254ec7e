package dev.infera.server.rest;

import dev.infera.spi.InferenceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Builds request bodies and reads tensors back, for the REST frontend's tests. */
final class RequestJson {
  private RequestJson() {}

  /** Decodes a body and translates its parameters, as the service does before inference. */
  static DecodedRequest decode(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    DecodedRequest decoded = InferRequestDecoder.decode(bytes, 0, bytes.length);
    decoded.toInferenceRequest("m", Optional.empty(), List.of(), header -> null);
    return decoded;
  }

  /** A request with one input named {@code x}. */
  static String oneInput(String datatype, String shape, String data) {
    return "{\"inputs\":[{\"name\":\"x\",\"shape\":"
        + shape
        + ",\"datatype\":\""
        + datatype
        + "\",\"data\":"
        + data
        + "}]}";
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  static ByteBuffer littleEndian(int capacity) {
    return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Runs {@code call} and returns the InferenceException it throws. */
  static InferenceException failure(ThrowingCallable call) {
    try {
      call.call();
    } catch (InferenceException e) {
      return e;
    } catch (Throwable other) {
      throw new AssertionError("expected an InferenceException, got " + other, other);
    }
    throw new AssertionError("expected an InferenceException, nothing was thrown");
  }
}
