package dev.infera.server.cli;

import dev.infera.batch.jobs.JobSettings;
import dev.infera.core.autoscale.AutoscaleSettings;
import dev.infera.core.cache.CacheSettings;
import dev.infera.core.lifecycle.BackendConfig;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.core.repository.ModelRepository;
import dev.infera.server.InferaServer;
import dev.infera.server.ModelRepositories;
import dev.infera.server.ServerOptions;
import dev.infera.server.WarmupSettings;
import dev.infera.server.logging.LogSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code infera serve}: loads a model repository and serves it until SIGTERM or SIGINT, then shuts
 * down gracefully and exits 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the models of a model repository over KServe v2 REST and gRPC.")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model-repository",
      defaultValue = "${sys:infera.home:-.}/examples/models",
      paramLabel = "DIR|s3://[host:port/]bucket/prefix",
      description =
          "The model repository (Triton's layout): a folder, or an S3-compatible bucket mirrored into --model-cache-dir. Default: examples/models of the installation.")
  String modelRepository;

  @Option(
      names = "--model-cache-dir",
      defaultValue = "${sys:java.io.tmpdir}/infera-model-cache",
      paramLabel = "DIR",
      description = "Where an s3:// repository's models are mirrored. Default: ${DEFAULT-VALUE}.")
  Path modelCacheDir;

  @Option(
      names = "--repository-settle-secs",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "An s3:// repository mirrors a version once its listing has stayed unchanged this long (two listings at least this far apart): a half-uploaded version never loads. Default: ${DEFAULT-VALUE}.")
  long repositorySettleSeconds;

  @Option(
      names = "--strict-model-config",
      defaultValue = "false",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Require a config.pbtxt for every model; when false, a missing configuration is completed from the model file. Default: ${DEFAULT-VALUE}.")
  boolean strictModelConfig;

  @Option(
      names = "--default-max-batch-size",
      defaultValue = "" + ManagerOptions.DEFAULT_MAX_BATCH_SIZE,
      paramLabel = "N",
      description =
          "max_batch_size given to a batchable model without configuration. Default: ${DEFAULT-VALUE}.")
  int defaultMaxBatchSize;

  @Option(
      names = "--exit-timeout-secs",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "On shutdown, how long accepted requests may take to finish. Default: ${DEFAULT-VALUE}.")
  long exitTimeoutSeconds;

  @Option(
      names = "--max-request-bytes",
      defaultValue = "" + ServerOptions.DEFAULT_MAX_REQUEST_BYTES,
      paramLabel = "BYTES",
      description =
          "The largest request body accepted, in bytes (HTTP 413 / gRPC RESOURCE_EXHAUSTED beyond). Default: ${DEFAULT-VALUE}.")
  long maxRequestBytes;

  @Option(
      names = "--cache-config",
      paramLabel = "local,size=BYTES",
      description =
          "The response cache (Triton's syntax): local,size=BYTES holds up to BYTES of responses of the models whose config.pbtxt has response_cache { enable: true }. Default: no cache.")
  String cacheConfig;

  @Option(
      names = "--autoscale-target-p99-ms",
      defaultValue = "100",
      paramLabel = "MS",
      description =
          "The p99 latency target infera_desired_replicas is computed against (a model overrides it with the config parameter autoscale_target_p99_ms). Default: ${DEFAULT-VALUE}.")
  long autoscaleTargetP99Millis;

  @Option(
      names = "--backend-config",
      paramLabel = "BACKEND,KEY=VALUE",
      description =
          "A backend setting given to every model of that backend as a default of its config.pbtxt parameters (the model's own value wins), e.g. onnxruntime,intra_op_thread_count=2; KEY=VALUE alone applies to every backend. Repeatable.")
  List<String> backendConfig = new ArrayList<>();

  @Option(
      names = "--instance-budget",
      paramLabel = "N",
      description =
          "The most instances the models with instance autoscaling (config parameter instance_autoscale_max) may run together. Default: the available processors.")
  Integer instanceBudget;

  @Option(
      names = "--id",
      defaultValue = ServerOptions.DEFAULT_SERVER_ID,
      paramLabel = "NAME",
      description =
          "The server's name in GET /v2 and gRPC ServerMetadata. Default: ${DEFAULT-VALUE}.")
  String id;

  @Option(
      names = "--exit-on-error",
      defaultValue = "false",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Exit at start-up when any model fails to load (Triton's default is true; Infera's is false: the other models serve and the broken one is reported by readiness, the index and the metrics). Default: ${DEFAULT-VALUE}.")
  boolean exitOnError;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where traffic policies, canary rollouts and their decision history are kept (atomically written JSON), so that a restarted server resumes a rollout at the same step. Default: in memory only.")
  Path stateDir;

  @Option(
      names = "--jobs-dir",
      paramLabel = "DIR",
      description =
          "Enables batch jobs (/v2/jobs, docs/batch.md): their input and output paths are relative to DIR. Default: no jobs.")
  Path jobsDir;

  @Option(
      names = "--warmup",
      defaultValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Before readiness turns true, drive REST JSON, REST binary and gRPC inference of every ready model with synthetic requests over loopback until the JIT has settled (per-request CPU time stops falling), so that the first traffic meets compiled code; these requests count in no user metric. Default: ${DEFAULT-VALUE}.")
  boolean warmup;

  @Option(
      names = "--warmup-secs",
      defaultValue = "" + WarmupSettings.DEFAULT_CAP_SECONDS,
      paramLabel = "SECONDS",
      description = "The longest the start-up warm-up may take. Default: ${DEFAULT-VALUE}.")
  long warmupSeconds;

  @Mixin LimitFlags limitFlags;

  @Mixin EndpointFlags endpoints;

  @Mixin LoggingFlags logging;

  @Mixin SecurityFlags securityFlags;

  @Mixin ModelControlFlags modelControl;

  @Mixin ObservabilityFlags observabilityFlags;

  @Override
  public Integer call() throws Exception {
    List<String> problems = new ArrayList<>(endpoints.problems());
    if (maxRequestBytes < 1) {
      problems.add("--max-request-bytes " + maxRequestBytes + " (expected > 0)");
    }
    if (defaultMaxBatchSize < 1) {
      problems.add("--default-max-batch-size " + defaultMaxBatchSize + " (expected >= 1)");
    }
    if (exitTimeoutSeconds < 0) {
      problems.add("--exit-timeout-secs " + exitTimeoutSeconds + " (expected >= 0)");
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    if (warmup && warmupSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--warmup-secs "
              + warmupSeconds
              + " (expected at least 1; --warmup=false turns the warm-up off)");
    }
    if (jobsDir != null && !java.nio.file.Files.isDirectory(jobsDir)) {
      throw new ParameterException(
          spec.commandLine(),
          "--jobs-dir "
              + jobsDir
              + " is not a folder (expected the existing folder that job inputs and outputs are"
              + " relative to)");
    }
    LogSettings logSettings = logging.toSettings(System.getenv(LogSettings.LEVEL_VARIABLE));
    BackendConfig backends;
    try {
      backends = BackendConfig.parse(backendConfig);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ModelRepository repository =
        ModelRepositories.open(
            modelRepository,
            new ModelRepositories.S3Settings(
                modelCacheDir, Duration.ofSeconds(repositorySettleSeconds)));
    ServerOptions options =
        new ServerOptions(
            ModelRepositories.isRemote(modelRepository) ? modelCacheDir : Path.of(modelRepository),
            endpoints.http(),
            endpoints.grpc(),
            endpoints.metrics(),
            modelControl
                .apply(new ManagerOptions(defaultMaxBatchSize, strictModelConfig))
                .withBackendConfig(backends)
                .withInstanceBudget(
                    instanceBudget != null
                        ? instanceBudget
                        : Runtime.getRuntime().availableProcessors()),
            Duration.ofSeconds(exitTimeoutSeconds),
            maxRequestBytes,
            securityFlags.toOptions(),
            Optional.ofNullable(cacheConfig).map(CacheSettings::parse),
            id,
            exitOnError,
            logSettings,
            AutoscaleSettings.DEFAULTS.withTargetP99(Duration.ofMillis(autoscaleTargetP99Millis)),
            limitFlags.toLimits(maxRequestBytes),
            Optional.ofNullable(stateDir),
            warmup ? WarmupSettings.capped(Duration.ofSeconds(warmupSeconds)) : WarmupSettings.OFF);
    InferaServer server =
        InferaServer.start(
            options,
            observabilityFlags.toOptions(),
            repository,
            Optional.ofNullable(jobsDir).map(JobSettings::defaults));
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    stop.await();
    server.close();
    if (repository instanceof AutoCloseable closeable) {
      closeable.close();
    }
    return 0;
  }
}
