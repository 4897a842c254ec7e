package dev.infera.server.it;

import dev.infera.server.it.ProtocolClient.Reply;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The examples' {@code simple} model (OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1, INT32
 * [16]) under a configuration whose batches wait {@code delayMs} for more requests (up to 64), so
 * that requests stay queued long enough for a test to act on them.
 */
final class SlowQueueModel {
  static final String NAME = "slow";

  private SlowQueueModel() {}

  /** A repository holding the model; {@code extra} is appended to its configuration. */
  static Path repository(long delayMs, String extra) {
    try {
      Path repo = Files.createTempDirectory("infera-slow");
      Path model = Files.createDirectories(repo.resolve(NAME).resolve("1"));
      Files.copy(
          TestRepository.examples().resolve("simple/1/model.onnx"), model.resolve("model.onnx"));
      Files.writeString(
          repo.resolve(NAME).resolve("config.pbtxt"),
          """
          name: "slow"
          platform: "onnxruntime_onnx"
          max_batch_size: 64
          input [
            { name: "INPUT0", data_type: TYPE_INT32, dims: [ 16 ] },
            { name: "INPUT1", data_type: TYPE_INT32, dims: [ 16 ] }
          ]
          output [
            { name: "OUTPUT0", data_type: TYPE_INT32, dims: [ 16 ] },
            { name: "OUTPUT1", data_type: TYPE_INT32, dims: [ 16 ] }
          ]
          dynamic_batching { max_queue_delay_microseconds: %d }
          %s
          """
              .formatted(delayMs * 1000, extra));
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** INPUT0 all 7s and INPUT1 all 3s, one row. */
  static List<Tensor> inputs() {
    return List.of(filled("INPUT0", 7), filled("INPUT1", 3));
  }

  private static Tensor filled(String name, int value) {
    ByteBuffer data = ByteBuffer.allocate(16 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 16; i++) {
      data.putInt(value);
    }
    return Tensor.of(name, DataType.INT32, new long[] {1, 16}, data.flip());
  }

  /** Whether a reply to {@link #inputs} is complete and correct: 10s and 4s, 16 of each. */
  static boolean isCorrect(Reply reply) {
    for (int i = 0; i < 16; i++) {
      if (reply.output("OUTPUT0").data().getInt(4 * i) != 10
          || reply.output("OUTPUT1").data().getInt(4 * i) != 4) {
        return false;
      }
    }
    return true;
  }

  /** The value of one Prometheus sample on the metrics port; 0 when absent. */
  static double metric(int metricsPort, String nameAndLabels) {
    return Metrics.value(metricsPort, nameAndLabels);
  }
}
