package dev.infera.server.grpc;

import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.ModelMetadata;
import dev.infera.core.ServerMetadata;
import dev.infera.core.lifecycle.RepositoryControl;
import dev.infera.server.extension.SharedMemoryMessages;
import dev.infera.server.extension.SharedMemoryOutputs;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.extension.StatisticsMessages;
import dev.infera.server.grpc.proto.CudaSharedMemoryRegisterRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryRegisterResponse;
import dev.infera.server.grpc.proto.CudaSharedMemoryStatusRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryStatusResponse;
import dev.infera.server.grpc.proto.CudaSharedMemoryUnregisterRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryUnregisterResponse;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.LogSettingsRequest;
import dev.infera.server.grpc.proto.LogSettingsResponse;
import dev.infera.server.grpc.proto.ModelConfigRequest;
import dev.infera.server.grpc.proto.ModelConfigResponse;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelMetadataRequest;
import dev.infera.server.grpc.proto.ModelMetadataResponse;
import dev.infera.server.grpc.proto.ModelMetadataResponse.TensorMetadata;
import dev.infera.server.grpc.proto.ModelReadyRequest;
import dev.infera.server.grpc.proto.ModelReadyResponse;
import dev.infera.server.grpc.proto.ModelStatisticsRequest;
import dev.infera.server.grpc.proto.ModelStatisticsResponse;
import dev.infera.server.grpc.proto.ModelStreamInferResponse;
import dev.infera.server.grpc.proto.RepositoryIndexRequest;
import dev.infera.server.grpc.proto.RepositoryIndexResponse;
import dev.infera.server.grpc.proto.RepositoryModelLoadRequest;
import dev.infera.server.grpc.proto.RepositoryModelLoadResponse;
import dev.infera.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.infera.server.grpc.proto.RepositoryModelUnloadResponse;
import dev.infera.server.grpc.proto.ServerLiveRequest;
import dev.infera.server.grpc.proto.ServerLiveResponse;
import dev.infera.server.grpc.proto.ServerMetadataRequest;
import dev.infera.server.grpc.proto.ServerMetadataResponse;
import dev.infera.server.grpc.proto.ServerReadyRequest;
import dev.infera.server.grpc.proto.ServerReadyResponse;
import dev.infera.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryRegisterResponse;
import dev.infera.server.grpc.proto.SystemSharedMemoryStatusRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryStatusResponse;
import dev.infera.server.grpc.proto.SystemSharedMemoryUnregisterRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryUnregisterResponse;
import dev.infera.server.grpc.proto.TraceSettingRequest;
import dev.infera.server.grpc.proto.TraceSettingResponse;
import dev.infera.server.logging.LogControl;
import dev.infera.server.logging.RequestLogContext;
import dev.infera.server.protocol.ClassLabels;
import dev.infera.server.security.WarmupPass;
import dev.infera.server.tracing.RequestTrace;
import dev.infera.server.tracing.TraceControl;
import dev.infera.spi.TensorSpec;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code inference.GRPCInferenceService} RPCs over an {@link InferenceService}.
 *
 * <p>Non-blocking: {@code ModelInfer} decodes on the calling thread, hands the request to the
 * engine and answers when the engine's future completes, on the thread that completes it. When the
 * client cancels the call (or its deadline passes) the future is cancelled, which withdraws the
 * request if it has not started executing. The call's deadline also travels with the request as its
 * typed deadline ({@link CallDeadline}), so the scheduler drops it once the deadline passes.
 *
 * <p>{@code ModelReady} of an unknown model answers {@code ready: false} with status OK, as Triton
 * does; {@code ModelMetadata} of an unknown model fails with {@code NOT_FOUND}. Failures reach the
 * client through {@link GrpcStatusMapping}; unexpected ones are logged here, once, with their
 * trace.
 */
public final class KserveGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  /** How long an unimplemented stream waits for its client to finish sending. */
  static final Duration STREAM_ANSWER_DELAY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(KserveGrpcService.class);

  private final InferenceService inference;
  private final RepositoryControl repository;
  private final SharedMemoryRegistry sharedMemory;
  private final LogControl logging;
  private final TraceControl tracing;

  /** A service whose repository RPCs answer UNIMPLEMENTED. */
  public KserveGrpcService(InferenceService inference) {
    this(inference, null);
  }

  /**
   * @param repository serves the repository RPCs; null answers them UNIMPLEMENTED
   */
  public KserveGrpcService(InferenceService inference, RepositoryControl repository) {
    this(inference, repository, new SharedMemoryRegistry(SharedMemoryRegistry.DEV_SHM));
  }

  /**
   * @param sharedMemory the system shared memory regions, shared with the REST frontend
   */
  public KserveGrpcService(
      InferenceService inference, RepositoryControl repository, SharedMemoryRegistry sharedMemory) {
    this(inference, repository, sharedMemory, null);
  }

  /**
   * @param logging the log settings {@code LogSettings} reads and changes, the same as REST's
   *     {@code /v2/logging}; null answers it UNIMPLEMENTED
   */
  public KserveGrpcService(
      InferenceService inference,
      RepositoryControl repository,
      SharedMemoryRegistry sharedMemory,
      LogControl logging) {
    this(inference, repository, sharedMemory, logging, null);
  }

  /**
   * @param tracing chooses the inference requests to trace and serves {@code TraceSetting}; null
   *     traces none and answers {@code TraceSetting} UNIMPLEMENTED
   */
  public KserveGrpcService(
      InferenceService inference,
      RepositoryControl repository,
      SharedMemoryRegistry sharedMemory,
      LogControl logging,
      TraceControl tracing) {
    this.inference = Objects.requireNonNull(inference, "inference");
    this.repository = repository;
    this.sharedMemory = Objects.requireNonNull(sharedMemory, "sharedMemory");
    this.logging = logging;
    this.tracing = tracing;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    respond(
        "ServerLive",
        observer,
        () -> ServerLiveResponse.newBuilder().setLive(inference.isLive()).build());
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    respond(
        "ServerReady",
        observer,
        () -> ServerReadyResponse.newBuilder().setReady(inference.isReady()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    respond(
        "ModelReady",
        observer,
        () ->
            ModelReadyResponse.newBuilder()
                .setReady(inference.isModelReady(request.getName(), optional(request.getVersion())))
                .build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    respond(
        "ServerMetadata",
        observer,
        () -> {
          ServerMetadata metadata = inference.serverMetadata();
          return ServerMetadataResponse.newBuilder()
              .setName(metadata.name())
              .setVersion(metadata.version())
              .addAllExtensions(metadata.extensions())
              .build();
        });
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    respond(
        "ModelMetadata",
        observer,
        () -> {
          ModelMetadata metadata =
              inference.modelMetadata(request.getName(), optional(request.getVersion()));
          return ModelMetadataResponse.newBuilder()
              .setName(metadata.name())
              .addAllVersions(metadata.versions())
              .setPlatform(metadata.platform())
              .addAllInputs(tensorMetadata(metadata.inputs()))
              .addAllOutputs(tensorMetadata(metadata.outputs()))
              .build();
        });
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    Function<String, String> headers = metadata();
    RequestTrace trace =
        tracing == null || WarmupPass.isWarmup(ctx) // the server's own warm-up: never traced
            ? RequestTrace.NONE
            : tracing.start(request.getModelName(), "grpc", headers);
    InferenceRequest decoded;
    SharedMemoryOutputs outputRegions;
    CompletableFuture<InferenceResponse> future;
    try {
      decoded =
          trace.decode(
              () -> ModelInferCodec.decode(request, sharedMemory, headers, CallDeadline::apply));
      outputRegions = SharedMemoryOutputs.resolve(sharedMemory, decoded.outputs());
      trace.noteIds(ctx, decoded);
      future = inference.infer(trace.traced(decoded));
    } catch (RuntimeException e) {
      failTraced(ctx, trace, observer, e);
      return;
    }
    ServerCallStreamObserver<ModelInferResponse> call = cancelOnClientCancel(observer, future);
    future.whenComplete(
        (response, failure) -> {
          if (call != null && call.isCancelled()) {
            trace.endGrpc(Status.Code.CANCELLED);
            return;
          }
          if (failure != null) {
            failTraced(ctx, trace, observer, failure);
            return;
          }
          trace.answered(response);
          ModelInferResponse encoded;
          try {
            encoded =
                trace.encode(
                    () ->
                        ModelInferCodec.encode(
                            response, decoded, outputRegions, ClassLabels.of(inference, response)));
          } catch (RuntimeException e) {
            failTraced(ctx, trace, observer, e);
            return;
          }
          observer.onNext(encoded);
          observer.onCompleted();
          trace.endGrpc(Status.Code.OK);
        });
  }

  private static void failTraced(
      ServiceRequestContext ctx,
      RequestTrace trace,
      StreamObserver<?> observer,
      Throwable failure) {
    try (RequestLogContext.Scope ignored = RequestLogContext.mdc(ctx)) {
      fail("ModelInfer", observer, failure);
    }
    trace.failed(failure);
    trace.endGrpc(GrpcStatusMapping.toStatus(failure).getCode());
  }

  @Override
  public void modelConfig(
      ModelConfigRequest request, StreamObserver<ModelConfigResponse> observer) {
    respond(
        "ModelConfig",
        observer,
        () ->
            ModelConfigResponse.newBuilder()
                .setConfig(inference.modelConfig(request.getName(), optional(request.getVersion())))
                .build());
  }

  @Override
  public void modelStatistics(
      ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
    respond(
        "ModelStatistics",
        observer,
        () ->
            StatisticsMessages.response(
                inference.modelStatistics(
                    optional(request.getName()), optional(request.getVersion()))));
  }

  @Override
  public void repositoryIndex(
      RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
    if (repository == null) {
      unimplemented("RepositoryIndex", observer);
      return;
    }
    respond("RepositoryIndex", observer, () -> RepositoryMessages.index(repository, request));
  }

  @Override
  public void repositoryModelLoad(
      RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> observer) {
    if (repository == null) {
      unimplemented("RepositoryModelLoad", observer);
      return;
    }
    answerWhenDone(
        "RepositoryModelLoad",
        observer,
        () -> RepositoryMessages.load(repository, request),
        RepositoryModelLoadResponse.getDefaultInstance());
  }

  @Override
  public void repositoryModelUnload(
      RepositoryModelUnloadRequest request,
      StreamObserver<RepositoryModelUnloadResponse> observer) {
    if (repository == null) {
      unimplemented("RepositoryModelUnload", observer);
      return;
    }
    answerWhenDone(
        "RepositoryModelUnload",
        observer,
        () -> RepositoryMessages.unload(repository, request),
        RepositoryModelUnloadResponse.getDefaultInstance());
  }

  @Override
  public void systemSharedMemoryStatus(
      SystemSharedMemoryStatusRequest request,
      StreamObserver<SystemSharedMemoryStatusResponse> observer) {
    respond(
        "SystemSharedMemoryStatus",
        observer,
        () -> SharedMemoryMessages.status(sharedMemory, optional(request.getName())));
  }

  @Override
  public void systemSharedMemoryRegister(
      SystemSharedMemoryRegisterRequest request,
      StreamObserver<SystemSharedMemoryRegisterResponse> observer) {
    respond(
        "SystemSharedMemoryRegister",
        observer,
        () -> {
          sharedMemory.register(
              request.getName(),
              request.getKey(),
              SharedMemoryMessages.unsigned(request.getOffset(), "offset"),
              SharedMemoryMessages.unsigned(request.getByteSize(), "byte_size"));
          return SystemSharedMemoryRegisterResponse.getDefaultInstance();
        });
  }

  @Override
  public void systemSharedMemoryUnregister(
      SystemSharedMemoryUnregisterRequest request,
      StreamObserver<SystemSharedMemoryUnregisterResponse> observer) {
    respond(
        "SystemSharedMemoryUnregister",
        observer,
        () -> {
          if (request.getName().isEmpty()) {
            sharedMemory.unregisterAll();
          } else {
            sharedMemory.unregister(request.getName());
          }
          return SystemSharedMemoryUnregisterResponse.getDefaultInstance();
        });
  }

  @Override
  public void cudaSharedMemoryStatus(
      CudaSharedMemoryStatusRequest request,
      StreamObserver<CudaSharedMemoryStatusResponse> observer) {
    // No CUDA region can be registered: the status lists none (Triton's clients ask at start).
    respond("CudaSharedMemoryStatus", observer, CudaSharedMemoryStatusResponse::getDefaultInstance);
  }

  @Override
  public void cudaSharedMemoryRegister(
      CudaSharedMemoryRegisterRequest request,
      StreamObserver<CudaSharedMemoryRegisterResponse> observer) {
    noCudaSharedMemory(observer);
  }

  @Override
  public void cudaSharedMemoryUnregister(
      CudaSharedMemoryUnregisterRequest request,
      StreamObserver<CudaSharedMemoryUnregisterResponse> observer) {
    // Nothing can be registered, so there is nothing to unregister (Triton's clients do at start).
    respond(
        "CudaSharedMemoryUnregister",
        observer,
        CudaSharedMemoryUnregisterResponse::getDefaultInstance);
  }

  private static void noCudaSharedMemory(StreamObserver<?> observer) {
    observer.onError(
        Status.UNIMPLEMENTED
            .withDescription(SharedMemoryMessages.NO_CUDA_SHARED_MEMORY)
            .asRuntimeException());
  }

  @Override
  public void traceSetting(
      TraceSettingRequest request, StreamObserver<TraceSettingResponse> observer) {
    if (tracing == null) {
      unimplemented("TraceSetting", observer, "tracing is not set up on this endpoint");
      return;
    }
    respond("TraceSetting", observer, () -> TraceMessages.answer(tracing, inference, request));
  }

  // RPCs of Triton's GRPCInferenceService this server does not build (yet). Each answers
  // UNIMPLEMENTED with a sentence naming what is missing, instead of gRPC's bare default; building
  // one means replacing its override here.

  /**
   * UNIMPLEMENTED, sent once the client has finished sending ({@link #STREAM_ANSWER_DELAY} after
   * the stream opened at the latest, for a client that waits for an answer first): an answer while
   * the client still sends makes HTTP/2 reset the stream, and gRPC's asyncio client then reports
   * the reset (CANCELLED) instead of this status.
   */
  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(
      StreamObserver<ModelStreamInferResponse> observer) {
    AtomicBoolean answered = new AtomicBoolean();
    Runnable answer =
        () -> {
          if (answered.compareAndSet(false, true)) {
            unimplemented(
                "ModelStreamInfer",
                observer,
                "streaming inference (decoupled models, sequences) is not supported; use"
                    + " ModelInfer");
          }
        };
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    ScheduledFuture<?> timer =
        ctx == null
            ? null
            : ctx.eventLoop()
                .schedule(answer, STREAM_ANSWER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    if (ctx == null) {
      answer.run();
    }
    return new StreamObserver<>() {
      @Override
      public void onNext(ModelInferRequest ignored) {}

      @Override
      public void onError(Throwable ignored) {
        answered.set(true);
        if (timer != null) {
          timer.cancel(false);
        }
      }

      @Override
      public void onCompleted() {
        if (timer != null) {
          timer.cancel(false);
        }
        answer.run();
      }
    };
  }

  @Override
  public void logSettings(
      LogSettingsRequest request, StreamObserver<LogSettingsResponse> observer) {
    if (logging == null) {
      unimplemented("LogSettings", observer, "log settings are not enabled on this endpoint");
      return;
    }
    respond("LogSettings", observer, () -> LogSettingsMessages.apply(logging, request));
  }

  private static <T> void answerWhenDone(
      String rpc, StreamObserver<T> observer, Supplier<CompletableFuture<Void>> work, T answer) {
    CompletableFuture<Void> done;
    try {
      done = work.get();
    } catch (RuntimeException e) {
      fail(rpc, observer, e);
      return;
    }
    done.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            fail(rpc, observer, failure);
          } else {
            observer.onNext(answer);
            observer.onCompleted();
          }
        });
  }

  /**
   * Cancels the future when the client cancels the call. Returns the call's observer when the
   * transport gave one (grpc-java and Armeria do), or null when only the gRPC context can tell.
   */
  private static <T> ServerCallStreamObserver<T> cancelOnClientCancel(
      StreamObserver<T> observer, CompletableFuture<?> future) {
    if (observer instanceof ServerCallStreamObserver<T> call) {
      call.setOnCancelHandler(() -> future.cancel(false));
      if (call.isCancelled()) {
        future.cancel(false);
      }
      return call;
    }
    Context.current().addListener(context -> future.cancel(false), Runnable::run);
    return null;
  }

  private static List<TensorMetadata> tensorMetadata(List<TensorSpec> specs) {
    return specs.stream()
        .map(
            spec -> {
              TensorMetadata.Builder tensor =
                  TensorMetadata.newBuilder()
                      .setName(spec.name())
                      .setDatatype(spec.dataType().protocolName());
              for (long dim : spec.shape()) {
                tensor.addShape(dim);
              }
              return tensor.build();
            })
        .toList();
  }

  /** Answers a unary call with {@code answer}'s value, or its failure through the one mapping. */
  static <T> void respond(String rpc, StreamObserver<T> observer, Supplier<T> answer) {
    T value;
    try {
      value = answer.get();
    } catch (RuntimeException e) {
      fail(rpc, observer, e);
      return;
    }
    observer.onNext(value);
    observer.onCompleted();
  }

  static void fail(String rpc, StreamObserver<?> observer, Throwable failure) {
    if (GrpcStatusMapping.isUnexpected(failure)) {
      log.error("gRPC {} failed", rpc, failure);
    }
    observer.onError(GrpcStatusMapping.toStatus(failure).asRuntimeException());
  }

  private static void unimplemented(String rpc, StreamObserver<?> observer) {
    unimplemented(rpc, observer, "the model repository extension is not enabled");
  }

  private static void unimplemented(String rpc, StreamObserver<?> observer, String why) {
    observer.onError(
        Status.UNIMPLEMENTED
            .withDescription(rpc + " is not implemented by this server: " + why)
            .asRuntimeException());
  }

  /** The current call's metadata (its HTTP/2 headers), looked up by lower-case name. */
  private static Function<String, String> metadata() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    if (ctx == null) {
      return name -> null;
    }
    RequestHeaders headers = ctx.request().headers();
    return headers::get;
  }

  private static Optional<String> optional(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
