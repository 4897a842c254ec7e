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
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A model whose versions are the ONNX files of it/lifecycle (add/sub, sub/add, mul/sub), so that a
 * response's outputs tell which file computed it. Versions are installed and removed by renaming
 * whole folders or files, as a deployment should, so the server never sees a half-written version.
 */
final class SwapModel {
  static final String NAME = "swap";
  private static final int A = 7;
  private static final int B = 3;

  /** The files, and the first elements of OUTPUT0 and OUTPUT1 each computes from A and B. */
  enum Kind {
    ADD_SUB("add_sub.onnx", A + B, A - B),
    SUB_ADD("sub_add.onnx", A - B, A + B),
    MUL_SUB("mul_sub.onnx", A * B, A - B);

    final String file;
    final int output0;
    final int output1;

    Kind(String file, int output0, int output1) {
      this.file = file;
      this.output0 = output0;
      this.output1 = output1;
    }
  }

  private SwapModel() {}

  /** The model's configuration: simple's tensors, one warmup sample, the given version policy. */
  static String config(String versionPolicy) {
    return """
        name: "swap"
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [
          { name: "INPUT0", data_type: TYPE_INT32, dims: [ 16 ] },
          { name: "INPUT1", data_type: TYPE_INT32, dims: [ 16 ] }
        ]
        output [
          { name: "OUTPUT0", data_type: TYPE_INT32, dims: [ 16 ] },
          { name: "OUTPUT1", data_type: TYPE_INT32, dims: [ 16 ] }
        ]
        dynamic_batching { max_queue_delay_microseconds: 100 }
        model_warmup [ {
          name: "zeros"
          batch_size: 2
          inputs { key: "INPUT0" value: { data_type: TYPE_INT32, dims: [ 16 ], zero_data: true } }
          inputs { key: "INPUT1" value: { data_type: TYPE_INT32, dims: [ 16 ], random_data: true } }
        } ]
        """
        + versionPolicy
        + "\n";
  }

  /** Creates the model folder with its configuration and a first version. */
  static void create(Path repo, String versionPolicy, long version, Kind kind) {
    try {
      Files.createDirectories(repo.resolve(NAME));
      Files.writeString(repo.resolve(NAME).resolve("config.pbtxt"), config(versionPolicy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    install(repo, version, kind);
  }

  /** Puts a new version folder in place with one rename. */
  static void install(Path repo, long version, Kind kind) {
    try {
      Path model = repo.resolve(NAME);
      Path staging = Files.createTempDirectory(model, ".staging-");
      Files.copy(
          TestRepository.resource("it/lifecycle/" + kind.file), staging.resolve("model.onnx"));
      Files.move(staging, model.resolve(Long.toString(version)), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the model file of an existing version with one rename. */
  static void replace(Path repo, long version, Kind kind) {
    try {
      Path model = repo.resolve(NAME);
      Path staging = Files.createTempFile(model, ".staging-", ".onnx");
      Files.copy(
          TestRepository.resource("it/lifecycle/" + kind.file),
          staging,
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          staging,
          model.resolve(Long.toString(version)).resolve("model.onnx"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Takes a version folder out with one rename (into a hidden folder the server ignores). */
  static void remove(Path repo, long version) {
    try {
      Path model = repo.resolve(NAME);
      Path trash = Files.createTempDirectory(model, ".removed-");
      Files.move(
          model.resolve(Long.toString(version)),
          trash.resolve("v"),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Tensor> inputs() {
    return List.of(filled("INPUT0", A), filled("INPUT1", B));
  }

  private static Tensor filled(String name, int value) {
    ByteBuffer data = ByteBuffer.allocate(16 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 16; i++) {
      data.putInt(value);
    }
    return Tensor.of(name, DataType.INT32, new long[] {1, 16}, data.flip());
  }

  /** Which file computed a successful reply; null when the outputs match none. */
  static Kind kindOf(Reply reply) {
    int output0 = reply.output("OUTPUT0").data().getInt(0);
    int output1 = reply.output("OUTPUT1").data().getInt(0);
    for (Kind kind : Kind.values()) {
      if (kind.output0 == output0 && kind.output1 == output1) {
        return kind;
      }
    }
    return null;
  }
}
