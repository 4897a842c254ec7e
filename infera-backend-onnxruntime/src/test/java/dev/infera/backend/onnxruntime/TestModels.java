package dev.infera.backend.onnxruntime;

import dev.infera.spi.DataType;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelLoadRequest.InstanceKind;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The test models under src/test/resources/models, and helpers to load and feed them. */
final class TestModels {
  private TestModels() {}

  /** The folder holding the test models. */
  static Path root() {
    URL url = TestModels.class.getResource("/models");
    if (url == null) {
      throw new IllegalStateException("test resource folder 'models' is missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Version 1's folder of a test model. */
  static Path versionDirectory(String model) {
    return root().resolve(model).resolve("1");
  }

  static ModelLoadRequest request(String model) {
    return request(model, Map.of(), 1);
  }

  static ModelLoadRequest request(String model, Map<String, String> parameters, int instances) {
    return request(model, versionDirectory(model), parameters, instances, InstanceKind.CPU);
  }

  static ModelLoadRequest request(
      String model,
      Path versionDirectory,
      Map<String, String> parameters,
      int instances,
      InstanceKind kind) {
    return new ModelLoadRequest(
        model,
        1,
        versionDirectory,
        Optional.empty(),
        parameters,
        -1,
        new ModelSignature(List.of(), List.of()),
        instances,
        kind);
  }

  /** A fixed-size tensor over a direct little-endian buffer filled by {@code fill}. */
  static Tensor direct(String name, DataType type, long[] shape, ByteBufferWriter fill) {
    ByteBuffer buffer =
        ByteBuffer.allocateDirect((int) (Tensor.elementCount(shape) * type.byteSize()))
            .order(ByteOrder.LITTLE_ENDIAN);
    fill.write(buffer);
    buffer.flip();
    return Tensor.of(name, type, shape, buffer);
  }

  /** An INT32 tensor over a direct buffer. */
  static Tensor int32(String name, long[] shape, int... values) {
    return direct(
        name,
        DataType.INT32,
        shape,
        buffer -> {
          for (int value : values) {
            buffer.putInt(value);
          }
        });
  }

  /** Writes a tensor's elements into its buffer. */
  @FunctionalInterface
  interface ByteBufferWriter {
    void write(ByteBuffer buffer);
  }
}
