package dev.infera.server.grpc;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceOptions;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.infera.core.InferenceService;
import dev.infera.core.lifecycle.RepositoryControl;
import dev.infera.core.routing.rollout.TrafficManager;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.logging.LogControl;
import dev.infera.server.tracing.TraceControl;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The gRPC frontend as one Armeria service, for the assembly to bind on the gRPC port:
 *
 * <pre>{@code
 * sb.service(grpcApi.service(), grpcApi.requestSizeLimit());
 * }</pre>
 *
 * Serves {@code inference.GRPCInferenceService}, {@code infera.traffic.v1.TrafficService} (when a
 * {@link TrafficManager} is given, see {@link #withTraffic}) and gRPC server reflection (so that
 * tools such as grpcurl work without the proto files).
 *
 * <p>Two limits apply to a request: the gRPC message limit, set here, and the HTTP request-body
 * limit of the binding (Armeria's server default is 10 MiB). {@link #requestSizeLimit()} sets the
 * binding's limit to match the message limit. Either way an oversized request fails with {@code
 * RESOURCE_EXHAUSTED} naming the limit that applied.
 *
 * <p>Request buffers are copied out of the network buffers while parsing ({@code
 * unsafeWrapRequestBuffers} stays off), because input tensors outlive the call's handler.
 */
public final class GrpcApi {
  /** The default limit on one request message: 64 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** The largest message limit gRPC can enforce: one framed message must fit in a Java array. */
  public static final long MAX_MESSAGE_BYTES_LIMIT = Integer.MAX_VALUE - 5;

  private static final int GRPC_FRAME_HEADER_BYTES = 5;

  /** grpc-java's gzip and identity, plus deflate, which Triton's clients may send. */
  private static final DecompressorRegistry DECOMPRESSORS =
      DecompressorRegistry.getDefaultInstance().with(DeflateCodec.INSTANCE, true);

  private static final CompressorRegistry COMPRESSORS = compressors();

  private static CompressorRegistry compressors() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(new Codec.Gzip());
    registry.register(Codec.Identity.NONE);
    registry.register(DeflateCodec.INSTANCE);
    return registry;
  }

  private final InferenceService inference;
  private final int maxMessageBytes;
  private final RepositoryControl repository;
  private final SharedMemoryRegistry sharedMemory;
  private final TrafficManager traffic;
  private final LogControl logging;
  private final TraceControl tracing;

  /** A frontend accepting request messages up to {@link #DEFAULT_MAX_MESSAGE_BYTES}. */
  public GrpcApi(InferenceService inference) {
    this(inference, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * @param maxMessageBytes the largest request message accepted, in bytes (at most {@link
   *     #MAX_MESSAGE_BYTES_LIMIT}); a larger one fails with {@code RESOURCE_EXHAUSTED}
   */
  public GrpcApi(InferenceService inference, long maxMessageBytes) {
    this(inference, maxMessageBytes, null);
  }

  /**
   * @param repository serves the repository RPCs (index, load, unload); null answers them
   *     UNIMPLEMENTED
   */
  public GrpcApi(InferenceService inference, long maxMessageBytes, RepositoryControl repository) {
    this(
        inference,
        maxMessageBytes,
        repository,
        new SharedMemoryRegistry(SharedMemoryRegistry.DEV_SHM));
  }

  /**
   * @param sharedMemory the system shared memory regions, shared with the REST frontend
   */
  public GrpcApi(
      InferenceService inference,
      long maxMessageBytes,
      RepositoryControl repository,
      SharedMemoryRegistry sharedMemory) {
    this(inference, maxMessageBytes, repository, sharedMemory, null, null, null);
  }

  private GrpcApi(
      InferenceService inference,
      long maxMessageBytes,
      RepositoryControl repository,
      SharedMemoryRegistry sharedMemory,
      TrafficManager traffic,
      LogControl logging,
      TraceControl tracing) {
    this.traffic = traffic;
    this.logging = logging;
    this.tracing = tracing;
    this.repository = repository;
    this.sharedMemory = Objects.requireNonNull(sharedMemory, "sharedMemory");
    this.inference = Objects.requireNonNull(inference, "inference");
    if (maxMessageBytes <= 0 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "gRPC message limit: "
              + maxMessageBytes
              + " bytes (expected 1 to "
              + MAX_MESSAGE_BYTES_LIMIT
              + ")");
    }
    this.maxMessageBytes = (int) maxMessageBytes;
  }

  /**
   * This frontend also serving {@code infera.traffic.v1.TrafficService} over {@code manager};
   * without it the traffic RPCs are unknown methods (UNIMPLEMENTED).
   */
  public GrpcApi withTraffic(TrafficManager manager) {
    return new GrpcApi(
        inference,
        maxMessageBytes,
        repository,
        sharedMemory,
        Objects.requireNonNull(manager, "manager"),
        logging,
        tracing);
  }

  /**
   * This frontend answering {@code LogSettings} over {@code control}, the settings REST's {@code
   * /v2/logging} reads and changes; without it the RPC answers UNIMPLEMENTED.
   */
  public GrpcApi withLogging(LogControl control) {
    return new GrpcApi(
        inference,
        maxMessageBytes,
        repository,
        sharedMemory,
        traffic,
        Objects.requireNonNull(control, "control"),
        tracing);
  }

  /**
   * This frontend tracing the inference requests {@code tracing} chooses and serving {@code
   * TraceSetting} over it; without it nothing is traced and the RPC answers UNIMPLEMENTED.
   */
  public GrpcApi withTracing(TraceControl tracing) {
    return new GrpcApi(
        inference,
        maxMessageBytes,
        repository,
        sharedMemory,
        traffic,
        logging,
        Objects.requireNonNull(tracing, "tracing"));
  }

  /** A new Armeria service serving the protocol and reflection. */
  public GrpcService service() {
    return service(List.of());
  }

  /**
   * A new Armeria service serving the protocol and reflection behind {@code interceptors} (as
   * grpc-java's {@code intercept} orders them: the last one runs first).
   */
  public GrpcService service(List<? extends ServerInterceptor> interceptors) {
    var builder =
        GrpcService.builder()
            .addService(
                new KserveGrpcService(inference, repository, sharedMemory, logging, tracing));
    if (traffic != null) {
      builder.addService(new TrafficGrpcService(traffic));
    }
    return builder
        .addService(ProtoReflectionServiceV1.newInstance())
        .intercept(interceptors)
        .maxRequestMessageLength(maxMessageBytes)
        .decompressorRegistry(DECOMPRESSORS)
        .compressorRegistry(COMPRESSORS)
        .jsonMarshallerFactory(LazyJsonMarshaller::new) // built on the first JSON message
        .exceptionHandler(
            ((GrpcExceptionHandlerFunction) this::tooLarge)
                .orElse(GrpcClientFaults::classify)
                .orElse(GrpcClientFaults.sanitized(GrpcExceptionHandlerFunction.of())))
        .build();
  }

  /**
   * A body over the binding's limit is too large a message, not an unknown failure. The limit named
   * is the smaller of the message limit and the binding's body limit.
   */
  private Status tooLarge(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ContentTooLargeException) {
        long limit = maxMessageBytes;
        if (ctx instanceof ServiceRequestContext service && service.maxRequestLength() > 0) {
          limit = Math.min(limit, service.maxRequestLength() - GRPC_FRAME_HEADER_BYTES);
        }
        return Status.RESOURCE_EXHAUSTED.withDescription(
            "request message is larger than the limit of " + limit + " bytes");
      }
    }
    return null;
  }

  /**
   * Answers, as gRPC statuses, the requests the endpoint refuses before a service sees them (a
   * declared message over the limit, an unknown method); install it on the gRPC endpoint's server.
   */
  public ServerErrorHandler errorHandler() {
    return new GrpcRejections(GRPC_FRAME_HEADER_BYTES);
  }

  /**
   * A decorator for the binding of {@link #service()} that sets its HTTP request-body limit to one
   * message of {@link #maxMessageBytes()} and its gRPC frame header.
   */
  public Function<? super HttpService, ? extends HttpService> requestSizeLimit() {
    ServiceOptions options =
        ServiceOptions.builder()
            .maxRequestLength((long) maxMessageBytes + GRPC_FRAME_HEADER_BYTES)
            .build();
    return delegate ->
        new SimpleDecoratingHttpService(delegate) {
          @Override
          public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
            return unwrap().serve(ctx, req);
          }

          @Override
          public ServiceOptions options() {
            return options;
          }
        };
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }
}
