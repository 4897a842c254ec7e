package dev.infera.server.grpc;

import static dev.infera.server.grpc.Messages.bytes;
import static dev.infera.server.grpc.Messages.input;
import static dev.infera.server.grpc.Messages.littleEndian;
import static dev.infera.server.grpc.Messages.rawRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.grpc.proto.ModelConfigRequest;
import dev.infera.server.grpc.proto.ModelConfigResponse;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelMetadataRequest;
import dev.infera.server.grpc.proto.ModelMetadataResponse;
import dev.infera.server.grpc.proto.ModelReadyRequest;
import dev.infera.server.grpc.proto.ModelReadyResponse;
import dev.infera.server.grpc.proto.RepositoryIndexRequest;
import dev.infera.server.grpc.proto.RepositoryIndexResponse;
import dev.infera.server.grpc.proto.ServerLiveRequest;
import dev.infera.server.grpc.proto.ServerLiveResponse;
import dev.infera.server.grpc.proto.ServerMetadataRequest;
import dev.infera.server.grpc.proto.ServerMetadataResponse;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class KserveGrpcServiceTest {
  private final FakeInferenceService engine = new FakeInferenceService();
  private final KserveGrpcService service = new KserveGrpcService(engine);

  @Test
  void serverLiveAsksTheEngine() {
    RecordingObserver<ServerLiveResponse> observer = new RecordingObserver<>();

    service.serverLive(ServerLiveRequest.getDefaultInstance(), observer);

    assertThat(observer.value().getLive()).isTrue();
  }

  @Test
  void unknownModelIsNotReadyRatherThanAnError() {
    RecordingObserver<ModelReadyResponse> observer = new RecordingObserver<>();

    service.modelReady(ModelReadyRequest.newBuilder().setName("nope").build(), observer);

    assertThat(observer.value().getReady()).isFalse();
  }

  @Test
  void serverMetadataListsExtensions() {
    RecordingObserver<ServerMetadataResponse> observer = new RecordingObserver<>();

    service.serverMetadata(ServerMetadataRequest.getDefaultInstance(), observer);

    assertThat(observer.value().getExtensionsList()).containsExactly("model_repository");
  }

  @Test
  void modelMetadataDescribesTensorsWithProtocolTypeNames() {
    RecordingObserver<ModelMetadataResponse> observer = new RecordingObserver<>();

    service.modelMetadata(ModelMetadataRequest.newBuilder().setName("echo").build(), observer);

    ModelMetadataResponse.TensorMetadata input = observer.value().getInputs(0);
    assertThat(input.getName()).isEqualTo("INPUT0");
    assertThat(input.getDatatype()).isEqualTo("FP32");
    assertThat(input.getShapeList()).containsExactly(-1L, 4L);
  }

  @Test
  void modelMetadataOfUnknownModelIsNotFound() {
    RecordingObserver<ModelMetadataResponse> observer = new RecordingObserver<>();

    service.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build(), observer);

    assertThat(observer.status().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(observer.status().getDescription()).contains("'nope'");
  }

  @Test
  void modelInferAnswersWithTheEnginesOutputs() {
    RecordingObserver<ModelInferResponse> observer = new RecordingObserver<>();

    service.modelInfer(
        rawRequest("echo", input("INPUT0", "INT32", 2), bytes(littleEndian(8).putInt(4).putInt(5))),
        observer);

    assertThat(observer.value().getOutputs(0).getName()).isEqualTo("OUTPUT0");
    assertThat(observer.value().getRawOutputContents(0))
        .isEqualTo(bytes(littleEndian(8).putInt(4).putInt(5)));
  }

  @Test
  void decodeErrorIsInvalidArgument() {
    RecordingObserver<ModelInferResponse> observer = new RecordingObserver<>();

    service.modelInfer(
        rawRequest("echo", input("INPUT0", "INT32", 3), bytes(littleEndian(4))), observer);

    assertThat(observer.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(observer.status().getDescription()).contains("input 'INPUT0'");
  }

  @Test
  void engineErrorKeepsItsCode() {
    RecordingObserver<ModelInferResponse> observer = new RecordingObserver<>();

    service.modelInfer(
        rawRequest("busy", input("INPUT0", "INT32", 0), bytes(littleEndian(0))), observer);

    assertThat(observer.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(observer.status().getDescription()).isEqualTo("model 'busy': queue is full");
  }

  @Test
  void unexpectedEngineFailureIsInternalWithoutDetail() {
    RecordingObserver<ModelInferResponse> observer = new RecordingObserver<>();

    service.modelInfer(
        rawRequest("broken", input("INPUT0", "INT32", 0), bytes(littleEndian(0))), observer);

    assertThat(observer.status().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(observer.status().getDescription()).doesNotContain("secret");
  }

  @Test
  void repositoryIndexIsUnimplementedWithAClearMessage() {
    RecordingObserver<RepositoryIndexResponse> observer = new RecordingObserver<>();

    service.repositoryIndex(RepositoryIndexRequest.getDefaultInstance(), observer);

    assertThat(observer.status().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(observer.status().getDescription()).contains("RepositoryIndex");
  }

  @Test
  void modelConfigOfAServiceWithoutConfigurationsIsUnimplementedWithAClearMessage() {
    RecordingObserver<ModelConfigResponse> observer = new RecordingObserver<>();

    service.modelConfig(ModelConfigRequest.newBuilder().setName("echo").build(), observer);

    assertThat(observer.status().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(observer.status().getDescription()).contains("model configurations");
  }
}
