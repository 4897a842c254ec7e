package dev.infera.server.rest;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerErrorHandler;
import dev.infera.core.InferenceService;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.tracing.TraceControl;
import java.util.Objects;

/**
 * The KServe v2 REST API over an {@link InferenceService}.
 *
 * <pre>
 * GET  /v2/health/live, /v2/health/ready           200 {"live"/"ready": true}, or 503 {"error"}
 * GET  /v2                                         server metadata
 * GET  /v2/models/{m}[/versions/{v}]               model metadata
 * GET  /v2/models/{m}[/versions/{v}]/ready         200; 404 unknown model; 503 not ready
 * POST /v2/models/{m}[/versions/{v}]/infer         inference (JSON, binary tensor data, raw
 *                                                  binary; gzip/deflate both ways)
 * GET  /v2/models[/{m}[/versions/{v}]]/stats       statistics extension
 * GET  /v2/models/{m}[/versions/{v}]/config        model configuration extension
 * </pre>
 *
 * Every failure is {@code {"error": "..."}} with the status from {@link HttpStatusMapping}; bodies
 * larger than the limit are 413. Immutable; {@link #mount} may be called on several builders.
 */
public final class RestApi {
  /** The default limit on an inference request body: 64 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  private static final String MODEL_PATH = "/v2/models/{model}";
  private static final String VERSION_PATH = "/v2/models/{model}/versions/{version}";

  /** The default limit on the elements of one input tensor: 2^24, a 64 MiB FP32 tensor. */
  public static final long DEFAULT_MAX_TENSOR_ELEMENTS = 1L << 24;

  private final InferenceService service;
  private final long maxRequestBytes;
  private final long maxTensorElements;
  private final SharedMemoryRegistry sharedMemory;
  private final TraceControl tracing;

  public RestApi(InferenceService service) {
    this(service, DEFAULT_MAX_REQUEST_BYTES);
  }

  public RestApi(InferenceService service, long maxRequestBytes) {
    this(service, maxRequestBytes, DEFAULT_MAX_TENSOR_ELEMENTS);
  }

  /**
   * @param maxRequestBytes the largest inference request body accepted, JSON and binary data
   *     together, after gzip/deflate decoding; at most {@code Integer.MAX_VALUE - 8} (bodies are
   *     held in one array)
   * @param maxTensorElements the most elements one input's shape may hold (400 beyond)
   */
  public RestApi(InferenceService service, long maxRequestBytes, long maxTensorElements) {
    this(
        service,
        maxRequestBytes,
        maxTensorElements,
        new SharedMemoryRegistry(SharedMemoryRegistry.DEV_SHM));
  }

  /**
   * @param sharedMemory the system shared memory regions inputs and outputs may name, shared with
   *     the gRPC frontend
   */
  public RestApi(
      InferenceService service,
      long maxRequestBytes,
      long maxTensorElements,
      SharedMemoryRegistry sharedMemory) {
    this.sharedMemory = Objects.requireNonNull(sharedMemory, "sharedMemory");
    this.service = Objects.requireNonNull(service, "service");
    if (maxRequestBytes <= 0 || maxRequestBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxRequestBytes: "
              + maxRequestBytes
              + " (expected 1 to "
              + (Integer.MAX_VALUE - 8)
              + ")");
    }
    this.maxRequestBytes = maxRequestBytes;
    if (maxTensorElements <= 0) {
      throw new IllegalArgumentException(
          "maxTensorElements: " + maxTensorElements + " (expected > 0)");
    }
    this.maxTensorElements = maxTensorElements;
    this.tracing = null;
  }

  private RestApi(RestApi base, TraceControl tracing) {
    this.service = base.service;
    this.maxRequestBytes = base.maxRequestBytes;
    this.maxTensorElements = base.maxTensorElements;
    this.sharedMemory = base.sharedMemory;
    this.tracing = tracing;
  }

  /**
   * This API tracing the inference requests {@code tracing} chooses, and serving the trace
   * extension's routes ({@link TraceApi}).
   */
  public RestApi withTracing(TraceControl tracing) {
    return new RestApi(this, Objects.requireNonNull(tracing, "tracing"));
  }

  /**
   * Adds the routes to {@code sb} and installs {@link #errorHandler()}, so that Armeria's own
   * responses on that server (unknown route, wrong method, body too large) are JSON too. The
   * handler leaves gRPC requests to the handlers after it.
   */
  public void mount(ServerBuilder sb) {
    MetadataServices metadata = new MetadataServices(service);
    HttpService infer = new InferHttpService(service, maxTensorElements, sharedMemory, tracing);
    ExtensionServices extensions = new ExtensionServices(service);
    get(sb, "/v2/models/stats", "kserve.model.stats", (ctx, req) -> extensions.statistics(ctx));
    get(sb, "/v2/health/live", "kserve.health.live", (ctx, req) -> metadata.live());
    get(sb, "/v2/health/ready", "kserve.health.ready", (ctx, req) -> metadata.ready());
    get(sb, "/v2", "kserve.server.metadata", (ctx, req) -> metadata.serverMetadata());
    for (String path : new String[] {MODEL_PATH, VERSION_PATH}) {
      get(sb, path, "kserve.model.metadata", (ctx, req) -> metadata.modelMetadata(ctx));
      get(sb, path + "/ready", "kserve.model.ready", (ctx, req) -> metadata.modelReady(ctx));
      get(sb, path + "/stats", "kserve.model.stats", (ctx, req) -> extensions.statistics(ctx));
      get(sb, path + "/config", "kserve.model.config", (ctx, req) -> extensions.config(ctx));
      sb.route()
          .post(path + "/infer")
          .defaultServiceName("kserve.model.infer")
          .maxRequestLength(maxRequestBytes)
          .build(infer);
    }
    if (tracing != null) {
      new TraceApi(tracing, service).mount(sb);
    }
    sb.errorHandler(errorHandler());
  }

  private static void get(ServerBuilder sb, String path, String name, HttpService service) {
    sb.route().get(path).defaultServiceName(name).build(service);
  }

  /** The handler that renders every error on the REST routes as {@code {"error": "..."}}. */
  public ServerErrorHandler errorHandler() {
    return new JsonErrorHandler();
  }

  public long maxRequestBytes() {
    return maxRequestBytes;
  }
}
