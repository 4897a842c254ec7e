package dev.infera.core.scheduling;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Requests for {@link RecordingInstance}: input {@code ID} (BYTES, [rows, 1], the request's id in
 * every row) and {@code X} (FP32, [rows, width], row r holding value + r).
 */
final class Requests {
  private String id;
  private int rows = 1;
  private int width = 2;
  private float value;
  private int priority;
  private Optional<Duration> timeout = Optional.empty();
  private List<String> outputs = List.of("ID_OUT", "Y");
  private Optional<SpanContext> span = Optional.empty();

  private Requests(String id) {
    this.id = id;
  }

  static ScheduledRequest request(String id) {
    return with(id).build();
  }

  static Requests with(String id) {
    return new Requests(id);
  }

  Requests rows(int count) {
    this.rows = count;
    return this;
  }

  Requests width(int columns) {
    this.width = columns;
    return this;
  }

  Requests value(float first) {
    this.value = first;
    return this;
  }

  Requests priority(int level) {
    this.priority = level;
    return this;
  }

  Requests timeout(Duration duration) {
    this.timeout = Optional.of(duration);
    return this;
  }

  /** Traced under {@code parent}. */
  Requests span(SpanContext parent) {
    this.span = Optional.of(parent);
    return this;
  }

  Requests outputs(String... names) {
    this.outputs = List.of(names);
    return this;
  }

  ScheduledRequest build() {
    List<byte[]> ids =
        new ArrayList<>(Collections.nCopies(rows, id.getBytes(StandardCharsets.UTF_8)));
    Tensor idTensor = Tensor.ofBytes("ID", new long[] {rows, 1}, ids);
    ByteBuffer data = ByteBuffer.allocate(rows * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        data.putFloat(value + r);
      }
    }
    data.flip();
    Tensor x = Tensor.of("X", DataType.FP32, new long[] {rows, width}, data);
    return new ScheduledRequest(List.of(x, idTensor), outputs, rows, priority, timeout, span);
  }

  /** The values of an FP32 tensor. */
  static float[] floats(Tensor tensor) {
    ByteBuffer data = tensor.data();
    float[] values = new float[data.remaining() / 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.getFloat();
    }
    return values;
  }

  /** The elements of a BYTES tensor as strings. */
  static List<String> strings(Tensor tensor) {
    return tensor.elements().stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
  }
}
