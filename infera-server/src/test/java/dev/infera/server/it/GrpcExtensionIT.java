package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.grpc.DeflateCodec;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ServerMetadataRequest;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The extension suite over gRPC, plus gRPC's message compression as Triton's clients use it. */
class GrpcExtensionIT extends ExtensionSuite {
  @Override
  protected ExtensionClient connect(InferaServer server) {
    return new GrpcExtensionClient(server.grpcPort());
  }

  @Override
  protected ProtocolClient connectProtocol(InferaServer server) {
    return new GrpcClient(server.grpcPort(), true);
  }

  @Override
  protected ExtensionClient.Code alreadyExists() {
    return ExtensionClient.Code.ALREADY_EXISTS;
  }

  @Test
  void deflateAndGzipCompressedRequestsAreAnswered() {
    CompressorRegistry compressors = CompressorRegistry.newEmptyInstance();
    compressors.register(new Codec.Gzip());
    compressors.register(DeflateCodec.INSTANCE); // zlib, as gRPC's C core writes "deflate"
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .compressorRegistry(compressors)
            .decompressorRegistry(
                DecompressorRegistry.getDefaultInstance().with(DeflateCodec.INSTANCE, true))
            .build();
    try {
      ByteBuffer sixteen = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 16; i++) {
        sixteen.putInt(i);
      }
      ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("simple");
      for (String name : new String[] {"INPUT0", "INPUT1"}) {
        request
            .addInputs(
                InferInputTensor.newBuilder()
                    .setName(name)
                    .setDatatype("INT32")
                    .addShape(1)
                    .addShape(16))
            .addRawInputContents(com.google.protobuf.ByteString.copyFrom(sixteen.array()));
      }
      for (String encoding : new String[] {"deflate", "gzip"}) {
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withCompression(encoding);

        ModelInferResponse answer = stub.modelInfer(request.build());
        ByteBuffer sum =
            answer
                .getRawOutputContents(answer.getOutputs(0).getName().equals("OUTPUT0") ? 0 : 1)
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);

        assertThat(sum.getInt(15 * 4)).as(encoding).isEqualTo(30);
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
            .as(encoding)
            .isEqualTo("infera");
      }
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void classificationAttachesTheModelsLabels() {
    try (GrpcClient grpc = new GrpcClient(server.grpcPort(), true)) {
      ByteBuffer features = ByteBuffer.allocate(64 * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 64; i++) {
        features.putFloat(0.5f);
      }
      ModelInferRequest request =
          ModelInferRequest.newBuilder()
              .setModelName("tabular_labeled")
              .addInputs(
                  InferInputTensor.newBuilder()
                      .setName("features")
                      .setDatatype("FP32")
                      .addShape(1)
                      .addShape(64))
              .addRawInputContents(com.google.protobuf.ByteString.copyFrom(features.array()))
              .addOutputs(
                  ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                      .setName("probabilities")
                      .putParameters(
                          "classification",
                          dev.infera.server.grpc.proto.InferParameter.newBuilder()
                              .setInt64Param(1)
                              .build()))
              .build();

      ModelInferResponse answer = grpc.stub().modelInfer(request);

      ByteBuffer raw =
          answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      byte[] text = new byte[raw.getInt()];
      raw.get(text);
      String[] parts = new String(text, java.nio.charset.StandardCharsets.UTF_8).split(":");
      assertThat(parts).hasSize(3);
      assertThat(parts[2]).isEqualTo(parts[1].equals("0") ? "legitimate" : "fraud");
    }
  }

  /** ModelStreamInfer's answer to a stream, as status and description, within 30 s. */
  private String streamAnswer(boolean halfClose) throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      java.util.concurrent.CompletableFuture<String> answer =
          new java.util.concurrent.CompletableFuture<>();
      io.grpc.stub.StreamObserver<ModelInferRequest> requests =
          GRPCInferenceServiceGrpc.newStub(channel)
              .modelStreamInfer(
                  new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(
                        dev.infera.server.grpc.proto.ModelStreamInferResponse response) {
                      answer.complete("a response");
                    }

                    @Override
                    public void onError(Throwable t) {
                      io.grpc.Status status = io.grpc.Status.fromThrowable(t);
                      answer.complete(status.getCode() + ": " + status.getDescription());
                    }

                    @Override
                    public void onCompleted() {
                      answer.complete("completed without a status");
                    }
                  });
      ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("simple").build();
      requests.onNext(request);
      requests.onNext(request);
      if (halfClose) {
        requests.onCompleted();
      }
      return answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void streamingIsUnimplementedWhetherTheClientFinishesSendingOrWaits() throws Exception {
    String expected =
        "UNIMPLEMENTED: ModelStreamInfer is not implemented by this server: streaming inference"
            + " (decoupled models, sequences) is not supported; use ModelInfer";

    assertThat(streamAnswer(true)).isEqualTo(expected);
    assertThat(streamAnswer(false)).isEqualTo(expected);
  }
}
