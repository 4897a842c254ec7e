package dev.infera.server.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.ModelMetadata;
import dev.infera.core.scheduling.CallerRuns;
import dev.infera.server.extension.SharedMemoryOutputs;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.extension.SharedMemoryTensors;
import dev.infera.server.logging.RequestLogContext;
import dev.infera.server.protocol.ClassLabels;
import dev.infera.server.protocol.InferenceRequests;
import dev.infera.server.protocol.RawBinaryRequest;
import dev.infera.server.protocol.RequestParameters;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.server.security.WarmupPass;
import dev.infera.server.tracing.RequestTrace;
import dev.infera.server.tracing.TraceControl;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code POST /v2/models/{model}[/versions/{version}]/infer}: aggregates the body, decodes it
 * (JSON, optionally followed by binary tensor data, or Triton's raw binary request), calls {@link
 * InferenceService#infer} and encodes its answer, never blocking the event loop. When the client
 * goes away or the request times out, the inference future is cancelled so the engine can drop the
 * request.
 */
final class InferHttpService implements HttpService {
  private final InferenceService service;
  private final long maxTensorElements;
  private final SharedMemoryRegistry sharedMemory;
  private final TraceControl tracing;

  /**
   * @param tracing chooses the requests to trace; null traces none
   */
  InferHttpService(
      InferenceService service,
      long maxTensorElements,
      SharedMemoryRegistry sharedMemory,
      TraceControl tracing) {
    this.service = service;
    this.maxTensorElements = maxTensorElements;
    this.sharedMemory = sharedMemory;
    this.tracing = tracing;
  }

  /**
   * A decoded request with what its response needs to be encoded: the shared memory regions its
   * outputs go to (resolved on arrival).
   */
  record Call(InferenceRequest request, SharedMemoryOutputs regions) {}

  /** What the encoded answer of a call needs from its request: its compression, and its trace. */
  private record Reply(Call call, Optional<ResponseCompression> compression, RequestTrace trace) {}

  /**
   * Bodies up to this many bytes, declared by {@code Content-Length} on an HTTP/1 connection, are
   * received whole before {@link #serve} runs and answered in one write (Armeria's unary exchange,
   * about a tenth less CPU per small request). While such a body arrives it is bounded by the
   * connection and request limits, not yet counted by the buffered-bytes cap ({@code
   * RequestBodyBudget}); larger, undeclared or HTTP/2 bodies stream and are counted as they come.
   */
  static final long UNARY_MAX_BODY_BYTES = 16 << 10;

  @Override
  public ExchangeType exchangeType(RoutingContext routing) {
    long declared = routing.headers().contentLength();
    return declared >= 0
            && declared <= UNARY_MAX_BODY_BYTES
            && !routing.sessionProtocol().isMultiplex()
        ? ExchangeType.UNARY
        : ExchangeType.BIDI_STREAMING;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    String model = MetadataServices.model(ctx);
    Optional<String> version = MetadataServices.version(ctx);
    RequestHeaders headers = req.headers();
    RequestTrace trace =
        tracing == null || WarmupPass.isWarmup(ctx) // the server's own warm-up: never traced
            ? RequestTrace.NONE
            : tracing.start(model, "http", headers::get);
    if (trace.isOn()) {
      ctx.log()
          .whenComplete()
          .thenAccept(log -> trace.endHttp(log.responseHeaders().status().code()));
    }
    CompletableFuture<HttpResponse> response =
        req.aggregate()
            .thenCompose(
                body ->
                    onPayloadExecutor(
                        ctx,
                        body.content().length(),
                        () -> trace.decode(() -> decode(body, headers, model, version))))
            .thenCompose(
                call ->
                    infer(
                        ctx,
                        new Reply(
                            call,
                            ResponseCompression.accepted(
                                headers.get(HttpHeaderNames.ACCEPT_ENCODING)),
                            trace)))
            .exceptionally(
                failure -> {
                  trace.failed(failure);
                  try (RequestLogContext.Scope ignored = RequestLogContext.mdc(ctx)) {
                    return ErrorResponses.of(failure);
                  }
                });
    return HttpResponse.of(response);
  }

  private Call decode(
      AggregatedHttpRequest body, RequestHeaders headers, String model, Optional<String> version) {
    byte[] bytes = body.content().array();
    String header = headers.get(BinaryFraming.HEADER);
    if (header != null && BinaryFraming.jsonLength(header, bytes.length) == 0) {
      return decodeRawBinary(bytes, headers, model, version);
    }
    return decode(body, headers, model, version, maxTensorElements, sharedMemory);
  }

  /**
   * Triton's raw binary request ({@code Inference-Header-Content-Length: 0}): the body is the data
   * of the model's one input, its shape and datatype taken from the model; every output is answered
   * as binary data.
   */
  private Call decodeRawBinary(
      byte[] bytes, RequestHeaders headers, String model, Optional<String> version) {
    ModelMetadata metadata = service.modelMetadata(model, version);
    Tensor input =
        RawBinaryRequest.input(
            metadata, ByteBuffer.wrap(bytes), new TensorShapes(maxTensorElements));
    InferenceRequest request =
        InferenceRequests.assemble(
            model,
            version,
            Optional.empty(),
            Map.of(RequestParameters.BINARY_DATA_OUTPUT, true),
            List.of(input),
            List.of(),
            headers::get,
            options -> options);
    return new Call(request, SharedMemoryOutputs.NONE);
  }

  static Call decode(
      AggregatedHttpRequest body,
      RequestHeaders headers,
      String model,
      Optional<String> version,
      long maxTensorElements) {
    return decode(body, headers, model, version, maxTensorElements, null);
  }

  /**
   * Decodes a request body; inputs in shared memory are read from {@code sharedMemory}'s regions
   * (null: refused).
   */
  static Call decode(
      AggregatedHttpRequest body,
      RequestHeaders headers,
      String model,
      Optional<String> version,
      long maxTensorElements,
      SharedMemoryRegistry sharedMemory) {
    byte[] bytes = body.content().array();
    int jsonLength = BinaryFraming.jsonLength(headers.get(BinaryFraming.HEADER), bytes.length);
    DecodedRequest decoded = InferRequestDecoder.decode(bytes, 0, jsonLength, maxTensorElements);
    List<Tensor> inputs =
        new ArrayList<>(BinaryFraming.attach(decoded.inputs(), bytes, jsonLength, bytes.length));
    boolean usesSharedMemory =
        decoded.inputs().stream().anyMatch(DecodedInput::isInSharedMemory)
            || decoded.outputs().stream()
                .anyMatch(o -> o.parameters().containsKey(SharedMemoryTensors.REGION));
    if (usesSharedMemory) {
      if (sharedMemory == null) {
        throw InferenceException.invalidArgument("shared memory is not available on this endpoint");
      }
      for (int i = 0; i < inputs.size(); i++) {
        DecodedInput input = decoded.inputs().get(i);
        if (input.isInSharedMemory()) {
          inputs.set(
              i,
              SharedMemoryTensors.readInput(
                  sharedMemory, input.name(), input.type(), input.shape(), input.sharedMemory()));
        }
      }
    }
    InferenceRequest request = decoded.toInferenceRequest(model, version, inputs, headers::get);
    SharedMemoryOutputs regions =
        usesSharedMemory
            ? SharedMemoryOutputs.resolve(sharedMemory, request.outputs())
            : SharedMemoryOutputs.NONE;
    return new Call(request, regions);
  }

  private CompletableFuture<HttpResponse> infer(ServiceRequestContext ctx, Reply reply) {
    Call call = reply.call();
    RequestTrace trace = reply.trace();
    trace.noteIds(ctx, call.request());
    InferenceRequest traced = trace.traced(call.request());
    // Over HTTP/1 a connection carries one request at a time, so the thread that received this one
    // may run its batch when the model is idle (CallerRuns). Not over HTTP/2: there one connection
    // multiplexes many requests that its event loop would then execute one by one, unbatched.
    CompletableFuture<InferenceResponse> pending =
        ctx.sessionProtocol().isMultiplex()
            ? service.infer(traced)
            : CallerRuns.permitting(() -> service.infer(traced));
    ctx.whenRequestCancelling().thenRun(() -> pending.cancel(false));
    return pending.thenCompose(
        answer -> {
          trace.answered(answer);
          return onPayloadExecutor(
              ctx,
              outputBytes(answer),
              () ->
                  trace.encode(
                      () ->
                          InferResponseEncoder.encode(
                                  answer,
                                  call.request(),
                                  call.regions(),
                                  ClassLabels.of(service, answer))
                              .toHttpResponse(reply.compression())));
        });
  }

  private static long outputBytes(InferenceResponse response) {
    long total = 0;
    for (Tensor output : response.outputs()) {
      total += output.byteSize();
    }
    return total;
  }

  /**
   * Runs {@code work} where {@link PayloadExecutors} says: at once when that is the event loop and
   * the caller is on it (the request's batch ran there, {@link CallerRuns}), else handed over, so
   * that an engine thread never spends its time writing JSON.
   */
  private static <T> CompletableFuture<T> onPayloadExecutor(
      ServiceRequestContext ctx, long payloadBytes, Supplier<T> work) {
    if (PayloadExecutors.onEventLoop(payloadBytes) && ctx.eventLoop().inEventLoop()) {
      try {
        return CompletableFuture.completedFuture(work.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(work, PayloadExecutors.forPayload(ctx, payloadBytes));
  }
}
