package dev.infera.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.server.grpc.GrpcService;
import org.junit.jupiter.api.Test;

class GrpcApiTest {
  private final FakeInferenceService engine = new FakeInferenceService();

  @Test
  void serviceOffersTheInferenceServiceAndReflection() {
    GrpcService service = new GrpcApi(engine).service();

    assertThat(service.services())
        .extracting(definition -> definition.getServiceDescriptor().getName())
        .contains("inference.GRPCInferenceService", "grpc.reflection.v1.ServerReflection");
  }

  @Test
  void defaultMessageLimitIs64MiB() {
    assertThat(new GrpcApi(engine).maxMessageBytes()).isEqualTo(64 * 1024 * 1024);
  }

  @Test
  void nonPositiveMessageLimitIsRejected() {
    assertThatThrownBy(() -> new GrpcApi(engine, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gRPC message limit: 0 bytes");
  }

  @Test
  void messageLimitBeyondOneArrayIsRejected() {
    assertThatThrownBy(() -> new GrpcApi(engine, 3L * 1024 * 1024 * 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gRPC message limit");
  }
}
