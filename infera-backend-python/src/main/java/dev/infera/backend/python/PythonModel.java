package dev.infera.backend.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infera.spi.BackendMeters;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of a Python model. Loading starts the first worker, which imports {@code
 * model.py} and runs {@code auto_complete_config}: import errors, a missing package or a missing
 * class fail the load. Instance 0 then takes that worker over; other instances start their own.
 * Restarts run on this model's "python-start" threads.
 *
 * <p>Threading: {@link #newInstance} and {@link #signature} from any thread; {@link #close} once,
 * after every instance was closed.
 */
final class PythonModel implements LoadedModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DEFAULT_FILE = "model.py";

  private final ModelLoadRequest request;
  private final PythonSettings settings;
  private final Path runtime;
  private final Path modelFile;
  private final String where;
  private final ModelSignature signature;
  private final String modelConfig;
  private final boolean batched;
  private final WorkerMeters meters;
  private final ExecutorService starts;
  private PythonWorker first;

  private PythonModel(
      ModelLoadRequest request,
      PythonSettings settings,
      Path runtime,
      Path modelFile,
      BackendMeters meters) {
    this.request = request;
    this.settings = settings;
    this.runtime = runtime;
    this.modelFile = modelFile;
    this.where = "model '" + request.modelName() + "' version " + request.version();
    this.meters = new WorkerMeters(meters, request.modelName(), request.version());
    AtomicInteger threads = new AtomicInteger();
    String threadName = "python-start-" + request.modelName() + "-" + request.version() + "-";
    this.starts =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, threadName + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      this.first = startWorker(0, ModelConfigJson.of(request));
      JsonNode loaded = first.loadedConfig();
      this.signature = ModelConfigJson.signature(loaded, where);
      this.batched = loaded.path("max_batch_size").asInt(0) > 0;
      this.modelConfig = JSON.writeValueAsString(loaded);
    } catch (JsonProcessingException e) {
      close();
      throw new InferenceException(ErrorCode.INTERNAL, where + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static PythonModel load(
      ModelLoadRequest request, PythonSettings settings, Path runtime, BackendMeters meters) {
    String fileName = request.modelFileName().orElse(DEFAULT_FILE);
    Path file = request.versionDirectory().resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "model '"
              + request.modelName()
              + "' version "
              + request.version()
              + ": no "
              + fileName
              + " in the version folder (the Python backend runs "
              + request.version()
              + "/"
              + fileName
              + ", defining class TritonPythonModel)");
    }
    return new PythonModel(request, settings, runtime, file, meters);
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public ModelInstance newInstance(int index) {
    PythonWorker worker;
    synchronized (this) {
      worker = index == 0 ? first : null;
      if (index == 0) {
        first = null;
      }
    }
    if (worker == null) {
      worker = startWorker(index, ModelConfigJson.of(request));
    }
    initialize(worker, index);
    return new PythonInstance(
        where + " instance " + index,
        worker,
        () -> {
          PythonWorker restarted = startWorker(index, ModelConfigJson.of(request));
          initialize(restarted, index);
          return restarted;
        },
        starts,
        settings.executeTimeout(),
        settings.startTimeout(),
        new OutputCheck(where, signature, batched),
        meters);
  }

  private void initialize(PythonWorker worker, int index) {
    try {
      worker.initialize(args(index), settings.startTimeout());
    } catch (WorkerException e) {
      worker.kill();
      throw loadFailure(e);
    }
  }

  /** The {@code args} Triton passes to {@code initialize}. */
  private Map<String, String> args(int index) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("model_config", modelConfig);
    args.put("model_instance_kind", request.deviceOf(index).isPresent() ? "GPU" : "CPU");
    args.put("model_instance_name", request.modelName() + "_" + index);
    // The worker sees only its own GPU (CUDA_VISIBLE_DEVICES), as device 0.
    args.put("model_instance_device_id", "0");
    args.put("model_repository", request.versionDirectory().getParent().toString());
    args.put("model_version", Long.toString(request.version()));
    args.put("model_name", request.modelName());
    return args;
  }

  private PythonWorker startWorker(int index, ObjectNode config) {
    String label = "python-" + request.modelName() + "-" + request.version() + "-" + index;
    Map<String, String> environment = new HashMap<>();
    String existing = System.getenv("PYTHONPATH");
    environment.put(
        "PYTHONPATH",
        existing == null || existing.isEmpty()
            ? runtime.toString()
            : runtime + java.io.File.pathSeparator + existing);
    environment.put("PYTHONUNBUFFERED", "1");
    environment.put("PYTHONDONTWRITEBYTECODE", "1");
    request
        .deviceOf(index)
        .ifPresent(gpu -> environment.put("CUDA_VISIBLE_DEVICES", Integer.toString(gpu)));
    List<String> command = new ArrayList<>();
    command.add(settings.interpreter());
    command.add(runtime.resolve(RuntimeFiles.WORKER).toString());
    PythonWorker.Launch launch =
        new PythonWorker.Launch(
            label,
            command,
            environment,
            modelFile,
            request.version() + "/" + modelFile.getFileName(),
            SharedRegion.defaultDirectory(),
            settings.shmBytes(),
            settings.startTimeout());
    try {
      return PythonWorker.start(launch, config);
    } catch (IOException e) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          where
              + ": cannot start the Python interpreter '"
              + settings.interpreter()
              + "' ("
              + reason(e)
              + "); name one with the model parameter or backend setting 'interpreter'",
          e);
    } catch (WorkerException e) {
      throw loadFailure(e);
    }
  }

  private static String reason(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("error=2")
        ? "not found"
        : message.replaceAll("^Cannot run program [^:]*: ", "");
  }

  private InferenceException loadFailure(WorkerException e) {
    return switch (e.kind()) {
      case REPORTED ->
          new InferenceException(
              PythonWorker.errorCode(e.code()) == ErrorCode.FAILED_PRECONDITION
                  ? ErrorCode.FAILED_PRECONDITION
                  : ErrorCode.INVALID_ARGUMENT,
              where + ": " + e.getMessage());
      case TIMED_OUT ->
          new InferenceException(
              ErrorCode.UNAVAILABLE,
              where
                  + ": importing model.py and initialize did not finish within "
                  + WorkerProcess.seconds(settings.startTimeout())
                  + " (startup_timeout_seconds)");
      case DIED ->
          new InferenceException(
              ErrorCode.UNAVAILABLE, where + ": " + e.getMessage() + " while loading");
    };
  }

  @Override
  public void close() {
    PythonWorker unused;
    synchronized (this) {
      unused = first;
      first = null;
    }
    if (unused != null) {
      unused.stop(settings.startTimeout());
    }
    starts.shutdownNow();
  }
}
