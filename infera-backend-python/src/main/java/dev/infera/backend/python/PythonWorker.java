package dev.infera.backend.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.RequestBatchInstance.RequestOutcome;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One running {@code model.py}: a {@link WorkerProcess} with its {@link SharedRegion}, and the
 * messages of the worker protocol (see {@code infera_python_worker.py}).
 *
 * <p>Threading: used by one thread at a time; {@link #kill} from any thread.
 */
final class PythonWorker implements AutoCloseable {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What starting a worker needs. */
  record Launch(
      String label,
      List<String> command,
      Map<String, String> environment,
      Path modelFile,
      String modelFileLabel,
      Path shmDirectory,
      long shmBytes,
      Duration startTimeout) {}

  /** A batch's answer: one outcome per request, and the time spent in {@code execute}. */
  record Answer(List<RequestOutcome> outcomes, long executeNanos) {}

  private final WorkerProcess process;
  private final SharedRegion region;
  private final JsonNode loadedConfig;

  private PythonWorker(WorkerProcess process, SharedRegion region, JsonNode loadedConfig) {
    this.process = process;
    this.region = region;
    this.loadedConfig = loadedConfig;
  }

  /**
   * Starts a worker and has it import {@code model.py} (and run {@code auto_complete_config}).
   *
   * @param modelConfig the configuration {@code auto_complete_config} starts from
   */
  static PythonWorker start(Launch launch, ObjectNode modelConfig)
      throws IOException, WorkerException {
    SharedRegion region =
        SharedRegion.create(
            launch.shmDirectory(), "infera-" + launch.label() + "-", launch.shmBytes());
    WorkerProcess process;
    try {
      List<String> command = new ArrayList<>(launch.command());
      command.add(region.file().toString());
      process = WorkerProcess.start(launch.label(), command, launch.environment());
    } catch (IOException | RuntimeException e) {
      region.close();
      throw e;
    }
    try {
      ObjectNode load = NODES.objectNode();
      load.put("op", "load");
      load.put("model_file", launch.modelFile().toString());
      load.put("label", launch.modelFileLabel());
      load.set("model_config", modelConfig);
      JsonNode reply = process.call(load, launch.startTimeout());
      return new PythonWorker(process, region, reply.path("model_config"));
    } catch (WorkerException | RuntimeException e) {
      process.kill();
      region.close();
      throw e;
    }
  }

  /** The configuration after {@code auto_complete_config}, as the worker returned it. */
  JsonNode loadedConfig() {
    return loadedConfig;
  }

  long pid() {
    return process.pid();
  }

  /** Runs {@code TritonPythonModel().initialize(args)}. */
  void initialize(Map<String, String> args, Duration timeout) throws WorkerException {
    ObjectNode init = NODES.objectNode();
    init.put("op", "init");
    ObjectNode argsNode = init.putObject("args");
    args.forEach(argsNode::put);
    process.call(init, timeout);
  }

  /**
   * Runs one batch: writes every request's inputs into the shared memory, has {@code execute} run,
   * reads the outputs back.
   */
  Answer execute(List<List<Tensor>> requests, List<String> outputNames, Duration timeout)
      throws WorkerException {
    long needed = 0;
    for (List<Tensor> inputs : requests) {
      for (Tensor input : inputs) {
        needed = SharedRegion.align(needed) + SharedRegion.encodedSize(input);
      }
    }
    region.ensure(needed);
    ObjectNode message = NODES.objectNode();
    message.put("op", "execute");
    message.put("shm_size", region.size());
    ArrayNode requestNodes = message.putArray("requests");
    long offset = 0;
    for (List<Tensor> inputs : requests) {
      ObjectNode request = requestNodes.addObject();
      ArrayNode inputNodes = request.putArray("inputs");
      for (Tensor input : inputs) {
        offset = SharedRegion.align(offset);
        long bytes = region.write(input, offset);
        ObjectNode spec = inputNodes.addObject();
        spec.put("name", input.name());
        spec.put("dtype", input.dataType().protocolName());
        ArrayNode shape = spec.putArray("shape");
        for (long dim : input.shape()) {
          shape.add(dim);
        }
        spec.put("offset", offset);
        spec.put("nbytes", bytes);
        offset += bytes;
      }
      ArrayNode wanted = request.putArray("outputs");
      outputNames.forEach(wanted::add);
    }
    JsonNode reply = process.call(message, timeout);
    region.follow(reply.path("shm_size").asLong(region.size()));
    List<RequestOutcome> outcomes = new ArrayList<>(requests.size());
    for (JsonNode response : reply.path("responses")) {
      outcomes.add(outcome(response));
    }
    return new Answer(outcomes, reply.path("exec_ns").asLong());
  }

  private RequestOutcome outcome(JsonNode response) {
    if (response.has("error")) {
      return RequestOutcome.failed(
          new InferenceException(
              errorCode(response.path("code").asText()), response.path("error").asText()));
    }
    List<Tensor> outputs = new ArrayList<>();
    for (JsonNode spec : response.path("outputs")) {
      String name = spec.path("name").asText();
      DataType type = DataType.fromProtocolName(spec.path("dtype").asText()).orElseThrow();
      long[] shape = new long[spec.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = spec.path("shape").get(i).asLong();
      }
      outputs.add(
          region.read(
              name, type, shape, spec.path("offset").asLong(), spec.path("nbytes").asLong()));
    }
    return RequestOutcome.succeeded(outputs);
  }

  /** The error code a worker names, INTERNAL for anything else. */
  static ErrorCode errorCode(String name) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.name().equals(name)) {
        return code;
      }
    }
    return ErrorCode.INTERNAL;
  }

  /** Kills the process at once and frees the shared memory. */
  void kill() {
    process.kill();
    region.close();
  }

  /**
   * Runs {@code finalize} (bounded by {@code timeout}), lets the process exit, kills it if it does
   * not, and frees the shared memory.
   */
  void stop(Duration timeout) {
    try {
      if (process.isAlive()) {
        ObjectNode finalize = NODES.objectNode();
        finalize.put("op", "finalize");
        process.call(finalize, timeout);
      }
    } catch (WorkerException e) {
      org.slf4j.LoggerFactory.getLogger(PythonWorker.class)
          .warn("finalize of a Python worker failed: {}", e.getMessage());
    } finally {
      process.close();
      region.close();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
