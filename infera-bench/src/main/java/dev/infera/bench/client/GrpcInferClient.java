package dev.infera.bench.client;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.TensorMeta;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelMetadataRequest;
import dev.infera.server.grpc.proto.ModelMetadataResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * KServe v2 gRPC with grpc-java's future stub over plaintext HTTP/2 channels: one by default, as a
 * single client's channel; with more, each its own connection and the requests spread round-robin
 * over them (one HTTP/2 connection is read and written by one event loop at each end, which bounds
 * large tensors). Tensors travel in {@code raw_input_contents}; completions run on the channels'
 * event loops.
 */
public final class GrpcInferClient implements InferClient {
  private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub> stubs =
      new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final String model;
  private final Duration timeout;
  private volatile ModelInferRequest request;

  /**
   * @param hostPort the server's gRPC address, {@code host:port}
   * @param connections the channels (HTTP/2 connections) to spread requests over, at least 1
   */
  public GrpcInferClient(String hostPort, String model, Duration timeout, int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections " + connections + " (expected >= 1)");
    }
    for (int i = 0; i < connections; i++) {
      ManagedChannel channel =
          NettyChannelBuilder.forTarget(hostPort)
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .build();
      channels.add(channel);
      stubs.add(GRPCInferenceServiceGrpc.newFutureStub(channel));
    }
    this.model = model;
    this.timeout = timeout;
  }

  @Override
  public List<TensorMeta> metadata() {
    ModelMetadataResponse response;
    try {
      response =
          GRPCInferenceServiceGrpc.newBlockingStub(channels.get(0))
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "model '" + model + "': ModelMetadata answered " + e.getStatus());
    }
    List<TensorMeta> inputs = new ArrayList<>();
    for (ModelMetadataResponse.TensorMetadata input : response.getInputsList()) {
      long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
      inputs.add(
          new TensorMeta(
              input.getName(), TensorMeta.dataType(input.getName(), input.getDatatype()), shape));
    }
    return inputs;
  }

  @Override
  public void prepare(List<InputTensor> inputs) {
    ModelInferRequest.Builder builder = ModelInferRequest.newBuilder().setModelName(model);
    for (InputTensor input : inputs) {
      ModelInferRequest.InferInputTensor.Builder tensor =
          builder.addInputsBuilder().setName(input.name()).setDatatype(input.type().name());
      for (long dim : input.shape()) {
        tensor.addShape(dim);
      }
      builder.addRawInputContents(ByteString.copyFrom(input.raw()));
    }
    request = builder.build();
  }

  @Override
  public CompletableFuture<String> send() {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Futures.addCallback(
        stubs
            .get(Math.floorMod(next.getAndIncrement(), stubs.size()))
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .modelInfer(request),
        new FutureCallback<ModelInferResponse>() {
          @Override
          public void onSuccess(ModelInferResponse response) {
            outcome.complete(null);
          }

          @Override
          public void onFailure(Throwable error) {
            Status status = Status.fromThrowable(error);
            outcome.complete(
                status.getCode() == Status.Code.UNKNOWN && status.getCause() != null
                    ? InferClient.transportError(status.getCause())
                    : "grpc " + status.getCode());
          }
        },
        MoreExecutors.directExecutor());
    return outcome;
  }

  @Override
  public String failureDetail() {
    try {
      stubs
          .get(0)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .modelInfer(request)
          .get();
      return "";
    } catch (java.util.concurrent.ExecutionException e) {
      String description = Status.fromThrowable(e.getCause()).getDescription();
      return description == null ? "" : description;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
