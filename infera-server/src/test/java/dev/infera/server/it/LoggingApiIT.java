package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.grpc.proto.LogSettingsRequest;
import dev.infera.server.grpc.proto.LogSettingsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triton's logging extension over REST ({@code /v2/logging}) and gRPC ({@code LogSettings}): read
 * and change the same log settings at run time.
 */
class LoggingApiIT {
  private static final Logger PROBE = LoggerFactory.getLogger("dev.infera.logging.probe");
  private static InferaServer server;
  private static RestClient rest;

  @BeforeAll
  static void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-logging");
    server = InferaServer.start(ServerOptions.onFreePorts(repo));
    rest = new RestClient(server.httpPort(), false);
  }

  @AfterAll
  static void stop() {
    rest.close();
    server.close();
  }

  private static HttpResponse<byte[]> post(String json) {
    return rest.post("/v2/logging", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  @Test
  void getAnswersTritonsSettings() {
    JsonNode settings = RestClient.readJson(rest.get("/v2/logging").body());

    assertThat(settings.path("log_file").asText()).isEmpty();
    assertThat(settings.path("log_info").isBoolean()).isTrue();
    assertThat(settings.path("log_warning").isBoolean()).isTrue();
    assertThat(settings.path("log_error").isBoolean()).isTrue();
    assertThat(settings.path("log_verbose_level").isInt()).isTrue();
    assertThat(settings.path("log_format").asText()).isEqualTo("default");
  }

  @Test
  void postChangesTheLevelsAtRunTime() {
    try {
      HttpResponse<byte[]> changed = post("{\"log_verbose_level\": 1, \"log_info\": false}");

      assertThat(changed.statusCode()).isEqualTo(200);
      JsonNode settings = RestClient.readJson(changed.body());
      assertThat(settings.path("log_verbose_level").asInt()).isEqualTo(1);
      assertThat(settings.path("log_info").asBoolean()).isFalse();
      assertThat(PROBE.isDebugEnabled()).isTrue();
      assertThat(PROBE.isInfoEnabled()).isFalse();
      assertThat(PROBE.isWarnEnabled()).isTrue();
    } finally {
      assertThat(post("{\"log_verbose_level\": 0, \"log_info\": true}").statusCode())
          .isEqualTo(200);
    }
    assertThat(PROBE.isDebugEnabled()).isFalse();
    assertThat(PROBE.isInfoEnabled()).isTrue();
  }

  @Test
  void badSettingsAre400AndChangeNothing() {
    JsonNode before = RestClient.readJson(rest.get("/v2/logging").body());

    HttpResponse<byte[]> unknown = post("{\"log_info\": false, \"log_colour\": true}");
    HttpResponse<byte[]> wrongType = post("{\"log_verbose_level\": \"loud\"}");
    HttpResponse<byte[]> file = post("{\"log_file\": \"/tmp/elsewhere.log\"}");
    HttpResponse<byte[]> huge = post("{\"log_verbose_level\": 99999999999999999999}");
    HttpResponse<byte[]> wraps = post("{\"log_verbose_level\": 18446744073709551617}");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(unknown.body())).contains("log_colour").contains("log_info");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(wrongType.body()))
        .contains("log_verbose_level")
        .contains("integer");
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(huge.body()))
        .contains("99999999999999999999 (expected an integer from 0 to 2147483647)");
    assertThat(wraps.statusCode()).isEqualTo(400); // 2^64 + 1, not taken as 1
    assertThat(file.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(file.body())).contains("--log-file");
    assertThat(RestClient.readJson(rest.get("/v2/logging").body())).isEqualTo(before);
  }

  private static LogSettingsRequest.SettingValue uint32(int value) {
    return LogSettingsRequest.SettingValue.newBuilder().setUint32Param(value).build();
  }

  private static LogSettingsRequest.SettingValue bool(boolean value) {
    return LogSettingsRequest.SettingValue.newBuilder().setBoolParam(value).build();
  }

  @Test
  void grpcLogSettingsReadsAndChangesTheSameSettingsAsRest() {
    try (GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      Map<String, LogSettingsResponse.SettingValue> read =
          grpc.stub().logSettings(LogSettingsRequest.getDefaultInstance()).getSettingsMap();
      assertThat(read.get("log_info").getBoolParam()).isTrue();
      assertThat(read.get("log_verbose_level").getUint32Param()).isZero();
      assertThat(read.get("log_format").getStringParam()).isEqualTo("default");
      assertThat(read)
          .containsOnlyKeys(
              "log_file",
              "log_info",
              "log_warning",
              "log_error",
              "log_verbose_level",
              "log_format");
      try {
        Map<String, LogSettingsResponse.SettingValue> changed =
            grpc.stub()
                .logSettings(
                    LogSettingsRequest.newBuilder()
                        .putSettings("log_verbose_level", uint32(1))
                        .putSettings("log_warning", bool(false))
                        .build())
                .getSettingsMap();

        assertThat(changed.get("log_verbose_level").getUint32Param()).isEqualTo(1);
        assertThat(changed.get("log_warning").getBoolParam()).isFalse();
        JsonNode overRest = RestClient.readJson(rest.get("/v2/logging").body());
        assertThat(overRest.path("log_verbose_level").asInt()).isEqualTo(1);
        assertThat(overRest.path("log_warning").asBoolean()).isFalse();
        assertThat(PROBE.isDebugEnabled()).isTrue();
      } finally {
        assertThat(post("{\"log_verbose_level\": 0, \"log_warning\": true}").statusCode())
            .isEqualTo(200);
      }
    }
  }

  private static StatusRuntimeException refused(GrpcClient grpc, LogSettingsRequest request) {
    return catchThrowableOfType(
        StatusRuntimeException.class, () -> grpc.stub().logSettings(request));
  }

  @Test
  void grpcBadLogSettingsAreInvalidArgumentAndChangeNothing() {
    JsonNode before = RestClient.readJson(rest.get("/v2/logging").body());
    try (GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      StatusRuntimeException unknown =
          refused(
              grpc,
              LogSettingsRequest.newBuilder()
                  .putSettings("log_info", bool(false))
                  .putSettings("log_colour", bool(true))
                  .build());
      StatusRuntimeException empty =
          refused(
              grpc,
              LogSettingsRequest.newBuilder()
                  .putSettings("log_info", LogSettingsRequest.SettingValue.getDefaultInstance())
                  .build());

      assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(unknown.getStatus().getDescription()).contains("log_colour");
      assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(empty.getStatus().getDescription()).contains("log_info").contains("no value");
    }
    assertThat(RestClient.readJson(rest.get("/v2/logging").body())).isEqualTo(before);
  }
}
