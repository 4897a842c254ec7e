package dev.infera.core.lifecycle;

import dev.infera.core.InferenceRequest;
import dev.infera.core.RequestOptions;
import dev.infera.core.config.ConfigDataTypes;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelWarmup;
import dev.infera.core.repository.ModelSource;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Turns a configuration's {@code model_warmup} samples into requests, as Triton does: {@code
 * zero_data} is all zeros (empty strings for BYTES); {@code random_data} is random values in [0, 1)
 * for floating types, in [0, 127] for integer types, 0 or 1 for BOOL and short digit strings for
 * BYTES (a fixed seed, so warmups repeat); {@code input_data_file} names a file in the model's
 * {@code warmup} folder holding one sample's raw row-major little-endian bytes (BYTES elements as a
 * 4-byte little-endian length and the bytes), repeated for each of the {@code batch_size} rows.
 *
 * <p>Stateless.
 */
final class WarmupSamples {
  private static final long SEED = 0x1f3a_5c7e_9b2dL;

  private WarmupSamples() {}

  /** A named request per sample, in configuration order. */
  static List<Map.Entry<ModelWarmup, InferenceRequest>> requests(
      ModelConfig config, String model, Path modelDirectory) {
    List<Map.Entry<ModelWarmup, InferenceRequest>> requests = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(SEED);
    for (ModelWarmup sample : config.getModelWarmupList()) {
      List<Tensor> inputs = new ArrayList<>();
      sample
          .getInputsMap()
          .forEach(
              (name, input) ->
                  inputs.add(
                      tensor(
                          name,
                          input,
                          sample,
                          config.getMaxBatchSize() > 0,
                          modelDirectory,
                          random)));
      inputs.sort((a, b) -> a.name().compareTo(b.name()));
      requests.add(
          Map.entry(
              sample,
              new InferenceRequest(
                  model,
                  Optional.empty(),
                  Optional.of("warmup:" + sample.getName()),
                  inputs,
                  List.of(),
                  RequestOptions.DEFAULT)));
    }
    return requests;
  }

  private static Tensor tensor(
      String name,
      ModelWarmup.Input input,
      ModelWarmup sample,
      boolean batched,
      Path modelDirectory,
      SplittableRandom random) {
    DataType type = ConfigDataTypes.toSpi(input.getDataType());
    long[] dims = input.getDimsList().stream().mapToLong(Long::longValue).toArray();
    int rows = batched ? Math.max(1, sample.getBatchSize()) : 1;
    long[] shape = dims;
    if (batched) {
      shape = new long[dims.length + 1];
      shape[0] = rows;
      System.arraycopy(dims, 0, shape, 1, dims.length);
    }
    long perRow = Tensor.elementCount(dims);
    int count = Math.toIntExact(perRow * rows);
    return switch (input.getInputDataTypeCase()) {
      case ZERO_DATA -> zeros(name, type, shape, count);
      case RANDOM_DATA -> randomTensor(name, type, shape, count, random);
      case INPUT_DATA_FILE ->
          fromFile(name, type, shape, perRow, rows, fileOf(modelDirectory, input), sample);
      default ->
          throw new InferenceException(
              ErrorCode.INVALID_ARGUMENT,
              "warmup sample '" + sample.getName() + "': input '" + name + "' has no data");
    };
  }

  private static Path fileOf(Path modelDirectory, ModelWarmup.Input input) {
    return modelDirectory.resolve(ModelSource.WARMUP_FOLDER).resolve(input.getInputDataFile());
  }

  private static Tensor zeros(String name, DataType type, long[] shape, int count) {
    if (type == DataType.BYTES) {
      return Tensor.ofBytes(name, shape, java.util.Collections.nCopies(count, new byte[0]));
    }
    return Tensor.of(name, type, shape, ByteBuffer.allocate(count * type.byteSize()));
  }

  private static Tensor randomTensor(
      String name, DataType type, long[] shape, int count, SplittableRandom random) {
    if (type == DataType.BYTES) {
      List<byte[]> elements = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        elements.add(Integer.toString(random.nextInt(1000)).getBytes());
      }
      return Tensor.ofBytes(name, shape, elements);
    }
    ByteBuffer data = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case BOOL -> data.put((byte) random.nextInt(2));
        case INT8, UINT8 -> data.put((byte) random.nextInt(128));
        case INT16, UINT16 -> data.putShort((short) random.nextInt(128));
        case INT32, UINT32 -> data.putInt(random.nextInt(128));
        case INT64, UINT64 -> data.putLong(random.nextInt(128));
        case FP16 -> data.putShort((short) (random.nextInt(15) << 10 | random.nextInt(1024)));
        case BF16 -> data.putShort((short) (Float.floatToIntBits(random.nextFloat()) >>> 16));
        case FP32 -> data.putFloat((float) random.nextDouble());
        case FP64 -> data.putDouble(random.nextDouble());
        default -> throw new IllegalStateException("no random data for " + type);
      }
    }
    return Tensor.of(name, type, shape, data.flip());
  }

  private static Tensor fromFile(
      String name,
      DataType type,
      long[] shape,
      long perRow,
      int rows,
      Path file,
      ModelWarmup sample) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "warmup sample '"
              + sample.getName()
              + "': input '"
              + name
              + "': cannot read input_data_file "
              + file
              + " ("
              + e.getMessage()
              + ")");
    }
    String label = "warmup sample '" + sample.getName() + "': input '" + name + "': " + file;
    if (type == DataType.BYTES) {
      List<byte[]> row = stringElements(bytes, perRow, label);
      List<byte[]> all = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        all.addAll(row);
      }
      return Tensor.ofBytes(name, shape, all);
    }
    long expected = perRow * type.byteSize();
    if (bytes.length != expected) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          label + " holds " + bytes.length + " bytes (expected " + expected + " for one row)");
    }
    ByteBuffer data = ByteBuffer.allocate(bytes.length * rows);
    for (int r = 0; r < rows; r++) {
      data.put(bytes);
    }
    return Tensor.of(name, type, shape, data.flip());
  }

  private static List<byte[]> stringElements(byte[] bytes, long count, String label) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> elements = new ArrayList<>();
    while (elements.size() < count) {
      if (buffer.remaining() < 4) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            label + " holds " + elements.size() + " strings (expected " + count + ")");
      }
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            label + ": string " + elements.size() + " has length " + length + " past the end");
      }
      byte[] element = new byte[length];
      buffer.get(element);
      elements.add(element);
    }
    if (buffer.hasRemaining()) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          label + " has " + buffer.remaining() + " bytes after " + count + " strings");
    }
    return elements;
  }
}
