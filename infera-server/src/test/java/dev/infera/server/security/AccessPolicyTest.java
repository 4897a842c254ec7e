package dev.infera.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {

  @ParameterizedTest
  @CsvSource({
    "GET, /v2/health/live",
    "GET, /v2/health/ready",
    "HEAD, /v2/health/ready",
  })
  void healthEndpointsAreOpen(HttpMethod method, String path) {
    assertThat(AccessPolicy.forHttp(method, path)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "POST, /v2/models/simple/infer, INFER",
    "POST, /v2/models/simple/versions/3/infer, INFER",
    "GET, /v2, READ",
    "GET, /v2/models/simple, READ",
    "GET, /v2/models/simple/ready, READ",
    "GET, /v2/models/simple/versions/1/ready, READ",
    "POST, /v2/repository/index, READ",
    "POST, /v2/repository/models/simple/load, ADMIN",
    "POST, /v2/repository/models/simple/unload, ADMIN",
  })
  void restEndpointsNeedTheirRole(HttpMethod method, String path, Role role) {
    assertThat(AccessPolicy.forHttp(method, path)).contains(role);
  }

  @ParameterizedTest
  @CsvSource({
    "POST, /v2/models/simple", // a POST to a metadata path is not a read
    "DELETE, /v2/models/simple",
    "GET, /admin",
    "POST, /v2/models//infer", // an empty model segment is not '*'
    "GET, /",
  })
  void anythingUnlistedNeedsAdmin(HttpMethod method, String path) {
    assertThat(AccessPolicy.forHttp(method, path)).contains(Role.ADMIN);
  }

  @Test
  void grpcHealthIsOpen() {
    assertThat(AccessPolicy.forGrpc("inference.GRPCInferenceService/ServerLive")).isEmpty();
    assertThat(AccessPolicy.forGrpc("inference.GRPCInferenceService/ServerReady")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "inference.GRPCInferenceService/ModelInfer, INFER",
    "inference.GRPCInferenceService/ModelMetadata, READ",
    "inference.GRPCInferenceService/ModelReady, READ",
    "inference.GRPCInferenceService/ServerMetadata, READ",
    "inference.GRPCInferenceService/RepositoryIndex, READ",
    "grpc.reflection.v1.ServerReflection/ServerReflectionInfo, READ",
    "inference.GRPCInferenceService/RepositoryModelLoad, ADMIN",
    "inference.GRPCInferenceService/RepositoryModelUnload, ADMIN",
    "inference.GRPCInferenceService/CudaSharedMemoryRegister, ADMIN",
    "infera.traffic.v1.TrafficService/GetTraffic, READ",
    "infera.traffic.v1.TrafficService/GetRollout, READ",
    "infera.traffic.v1.TrafficService/RolloutHistory, READ",
    "infera.traffic.v1.TrafficService/Feedback, INFER",
    "infera.traffic.v1.TrafficService/SetTraffic, ADMIN",
    "infera.traffic.v1.TrafficService/ClearTraffic, ADMIN",
    "infera.traffic.v1.TrafficService/StartRollout, ADMIN",
    "infera.traffic.v1.TrafficService/PromoteRollout, ADMIN",
    "infera.traffic.v1.TrafficService/AbortRollout, ADMIN",
  })
  void grpcMethodsNeedTheirRole(String method, Role role) {
    assertThat(AccessPolicy.forGrpc(method)).isEqualTo(Optional.of(role));
  }
}
