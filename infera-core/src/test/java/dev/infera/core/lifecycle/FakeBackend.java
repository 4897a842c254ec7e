package dev.infera.core.lifecycle;

import dev.infera.spi.Backend;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for core tests, which cannot use a real runtime (core must not depend on a backend
 * module). It loads {@code model.fake} files: "add" makes a model with INT32 input {@code x} [-1,2]
 * and output {@code y} = x + version; "add K" makes y = x + K; "failing" loads a model whose
 * executions fail; anything else fails to load.
 */
final class FakeBackend implements Backend {
  volatile int loaded;
  final AtomicInteger closedModels = new AtomicInteger();
  final AtomicInteger executions = new AtomicInteger();
  final AtomicInteger instancesCreated = new AtomicInteger();

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<String> aliases() {
    return Set.of("fake_platform");
  }

  @Override
  public Set<String> defaultModelFileNames() {
    return Set.of("model.fake");
  }

  /** The parameter {@code fake_cores_per_instance}, when a model sets it. */
  @Override
  public OptionalInt coresPerInstance(Map<String, String> parameters) {
    String cores = parameters.get("fake_cores_per_instance");
    return cores == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(cores));
  }

  @Override
  public LoadedModel load(ModelLoadRequest request) {
    Path file = request.versionDirectory().resolve("model.fake");
    String content;
    try {
      content = Files.readString(file).trim();
    } catch (IOException e) {
      throw new InferenceException(ErrorCode.NOT_FOUND, "no model file " + file);
    }
    boolean failing = content.equals("failing");
    if (!failing && !content.startsWith("add")) {
      throw new InferenceException(ErrorCode.INVALID_ARGUMENT, "cannot parse model file " + file);
    }
    loaded++;
    long version =
        content.startsWith("add ") ? Long.parseLong(content.substring(4)) : request.version();
    ModelSignature signature =
        new ModelSignature(
            List.of(new TensorSpec("x", DataType.INT32, new long[] {-1, 2})),
            List.of(new TensorSpec("y", DataType.INT32, new long[] {-1, 2})));
    return new LoadedModel() {
      @Override
      public ModelSignature signature() {
        return signature;
      }

      @Override
      public ModelInstance newInstance(int index) {
        instancesCreated.incrementAndGet();
        return new ModelInstance() {
          @Override
          public List<Tensor> execute(List<Tensor> inputs, List<String> outputNames) {
            executions.incrementAndGet();
            if (failing) {
              throw new InferenceException(ErrorCode.INTERNAL, "the fake model fails");
            }
            Tensor x = inputs.get(0);
            ByteBuffer in = x.data();
            ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            while (in.hasRemaining()) {
              out.putInt(in.getInt() + (int) version);
            }
            out.flip();
            return List.of(Tensor.of("y", DataType.INT32, x.shape(), out));
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public void close() {
        closedModels.incrementAndGet();
      }
    };
  }

  @Override
  public void close() {}
}
