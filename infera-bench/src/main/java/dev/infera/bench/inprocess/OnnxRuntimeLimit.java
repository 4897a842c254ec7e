package dev.infera.bench.inprocess;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.RandomInputs;
import dev.infera.bench.input.ShapeOverride;
import dev.infera.bench.input.TensorMeta;
import dev.infera.spi.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an ONNX model in process with the server backend's default session options, spinning aside.
 */
public final class OnnxRuntimeLimit implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final List<TensorMeta> inputs = new ArrayList<>();
  private final Map<String, OnnxJavaType> javaTypes = new HashMap<>();

  /**
   * @param intraOpThreads threads inside one operator; the server's default is the core count
   * @param spinning whether idle pool threads spin (ONNX Runtime's default; the server's is off)
   */
  public OnnxRuntimeLimit(Path file, int intraOpThreads, boolean spinning) throws OrtException {
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      options.setInterOpNumThreads(1);
      options.setExecutionMode(ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      session = env.createSession(file.toString(), options);
    }
    for (Map.Entry<String, NodeInfo> entry : session.getInputInfo().entrySet()) {
      if (!(entry.getValue().getInfo() instanceof TensorInfo info)) {
        throw new IllegalArgumentException(
            "input '" + entry.getKey() + "' of " + file + " is not a tensor");
      }
      inputs.add(new TensorMeta(entry.getKey(), wireType(entry.getKey(), info), info.getShape()));
      javaTypes.put(entry.getKey(), info.type);
    }
  }

  public List<TensorMeta> inputs() {
    return List.copyOf(inputs);
  }

  /** Runs random inputs of one batch size from {@code threads} threads. */
  public InProcessResult run(
      int batchSize,
      int threads,
      List<ShapeOverride> shapes,
      long seed,
      Duration warmup,
      Duration duration)
      throws OrtException, InterruptedException {
    List<InputTensor> tensors = new RandomInputs(seed).generate(inputs, batchSize, shapes);
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (InputTensor tensor : tensors) {
        feed.put(tensor.name(), onnxTensor(tensor));
      }
      return CallLoop.run(
          "onnxruntime",
          batchSize,
          threads,
          warmup,
          duration,
          () -> {
            try (OrtSession.Result result = session.run(feed)) {
              result.size();
            }
          });
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor onnxTensor(InputTensor tensor) throws OrtException {
    if (tensor.type() == DataType.BYTES) {
      ByteBuffer raw = tensor.buffer();
      String[] strings = new String[Math.toIntExact(tensor.elementCount())];
      for (int i = 0; i < strings.length; i++) {
        byte[] bytes = new byte[raw.getInt()];
        raw.get(bytes);
        strings[i] = new String(bytes, StandardCharsets.UTF_8);
      }
      return OnnxTensor.createTensor(env, strings, tensor.shape());
    }
    ByteBuffer direct =
        ByteBuffer.allocateDirect(tensor.raw().length).order(ByteOrder.nativeOrder());
    direct.put(tensor.buffer()).flip();
    return OnnxTensor.createTensor(env, direct, tensor.shape(), javaTypes.get(tensor.name()));
  }

  private static DataType wireType(String name, TensorInfo info) {
    return switch (info.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BF16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
      default ->
          throw new IllegalArgumentException(
              "input '" + name + "': unsupported element type " + info.onnxType);
    };
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
