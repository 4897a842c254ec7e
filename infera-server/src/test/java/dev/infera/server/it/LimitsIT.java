package dev.infera.server.it;

import static dev.infera.server.it.SecuredServer.ALL_KEY;
import static dev.infera.server.it.SecuredServer.SIMPLE_REQUEST;
import static dev.infera.server.it.SecuredServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.infera.server.InferaServer;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelReadyRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each limit answers 400, 413 or 415 with a clear message: request size (also after decompression),
 * JSON nesting, tensor elements, names and versions. The shared secured server accepts 1 MiB
 * requests and 4096 elements per tensor.
 */
class LimitsIT {
  private static final String INFER = "/v2/models/simple/infer";

  private final InferaServer server = SecuredServer.get();
  private final GrpcClient grpc = new GrpcClient(server.grpcPort(), false);

  @AfterEach
  void closeClient() {
    grpc.close();
  }

  private static SecuredServer.Reply post(String path, byte[] body, String encoding) {
    Map<String, String> headers = new HashMap<>(bearer(ALL_KEY));
    headers.put("Content-Type", "application/json");
    if (encoding != null) {
      headers.put("Content-Encoding", encoding);
    }
    return SecuredServer.post(path, body, headers);
  }

  private static String error(SecuredServer.Reply response) {
    return RestClient.errorMessage(response.body().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] compressed(byte[] data, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : new DeflaterOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private GRPCInferenceServiceBlockingStub grpcStub() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ALL_KEY);
    return grpc.stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static StatusRuntimeException grpcFailure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run);
  }

  @Test
  void aBodyOverTheLimitIs413() {
    SecuredServer.Reply response = post(INFER, new byte[2 * 1024 * 1024], null);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response)).contains("larger than the limit of 1048576 bytes");
  }

  @Test
  void gzipAndDeflateBodiesAreDecoded() throws IOException {
    byte[] json = SIMPLE_REQUEST.getBytes(StandardCharsets.UTF_8);

    assertThat(post(INFER, compressed(json, true), "gzip").statusCode()).isEqualTo(200);
    assertThat(post(INFER, compressed(json, false), "deflate").statusCode()).isEqualTo(200);
  }

  @Test
  void aCompressedBodyIsBoundedAfterDecompression() throws IOException {
    byte[] bomb = compressed(new byte[64 * 1024 * 1024], true); // 64 MiB of zeros, ~64 KiB sent

    SecuredServer.Reply response = post(INFER, bomb, "gzip");

    assertThat(bomb.length).isLessThan(200 * 1024);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response)).contains("larger than the limit");
  }

  @Test
  void anUnknownContentEncodingIs415() {
    SecuredServer.Reply response =
        post(INFER, SIMPLE_REQUEST.getBytes(StandardCharsets.UTF_8), "br");

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(error(response)).contains("Content-Encoding 'br' is not supported");
  }

  @Test
  void jsonNestedTooDeeplyIs400() {
    String body =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":"
            + "[".repeat(100)
            + "1"
            + "]".repeat(100)
            + "}]}";

    SecuredServer.Reply response = post(INFER, body.getBytes(StandardCharsets.UTF_8), null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response))
        .startsWith("JSON nesting depth exceeds the maximum allowed (100)")
        .doesNotContain("StreamReadConstraints");
  }

  @Test
  void aTensorOverTheElementLimitIs400NamingIt() {
    String body =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,5000],"
            + "\"parameters\":{\"binary_data_size\":20000}}]}";

    SecuredServer.Reply response = post(INFER, body.getBytes(StandardCharsets.UTF_8), null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response))
        .isEqualTo(
            "input 'INPUT0': shape [1, 5000] holds 5000 elements, more than the limit of 4096 per"
                + " tensor");
  }

  @Test
  void pathsThatCouldReachOtherFilesAre400() {
    for (String path :
        new String[] {
          "/v2/models/..%2F..%2Fetc/infer",
          "/v2/models/a%2Fb/infer",
          "/v2/models/.hidden/ready",
          "/v2/models/a%5Cb",
          "/v2/models/simple/versions/..%2F1/ready"
        }) {
      SecuredServer.Reply response =
          path.endsWith("/infer")
              ? post(path, SIMPLE_REQUEST.getBytes(StandardCharsets.UTF_8), null)
              : SecuredServer.get(path, bearer(ALL_KEY));

      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(error(response)).as(path).isNotEmpty();
    }
  }

  @Test
  void aModelNameWithASeparatorIs400NamingIt() {
    SecuredServer.Reply response =
        post("/v2/models/a%2Fb/infer", SIMPLE_REQUEST.getBytes(StandardCharsets.UTF_8), null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).startsWith("model name 'a/b' is not valid");
  }

  @Test
  void aVersionThatIsNotANumberIs400() {
    SecuredServer.Reply response =
        SecuredServer.get("/v2/models/simple/versions/1a/ready", bearer(ALL_KEY));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response))
        .isEqualTo("model version '1a' is not valid (expected a non-negative integer)");
  }

  /**
   * A 300,000-character input name: its 400 comes at once, with the name cut short. The cleaning of
   * error messages once took time growing with the square of such a name, on the event loop (3.4 s
   * at 10,000 characters; minutes at this length).
   */
  @Test
  void aHugeNameInABadRequestIsAnsweredAtOnceAndCutShort() {
    String name = "X".repeat(300_000);
    String body =
        "{\"inputs\":[{\"name\":\""
            + name
            + "\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
            + "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]}";

    SecuredServer.Reply response = post(INFER, body.getBytes(StandardCharsets.UTF_8), null);
    StatusRuntimeException e =
        grpcFailure(
            () ->
                grpcStub()
                    .modelInfer(
                        ModelInferRequest.newBuilder()
                            .setModelName("simple")
                            .addInputs(
                                ModelInferRequest.InferInputTensor.newBuilder()
                                    .setName(name)
                                    .setDatatype("INT32")
                                    .addShape(1)
                                    .addShape(16))
                            .build()));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response))
        .startsWith("model 'simple' version '1': unknown input 'XXX")
        .endsWith("more characters)");
    assertThat(error(response).length()).isLessThan(4200);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).endsWith("more characters)");
  }

  @Test
  void aGrpcMessageOverTheLimitIsResourceExhausted() {
    ModelInferRequest big =
        ModelInferRequest.newBuilder()
            .setModelName("simple")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("INPUT0")
                    .setDatatype("INT32")
                    .addShape(1)
                    .addShape(16))
            .addRawInputContents(ByteString.copyFrom(new byte[2 * 1024 * 1024]))
            .build();

    StatusRuntimeException e = grpcFailure(() -> grpcStub().modelInfer(big));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("larger than the limit");
  }

  /**
   * A unary gRPC message that declares its length (as Armeria's client sends one), over the limit,
   * and a path naming no method: both are refused before any service runs, and answered as gRPC
   * statuses a client can read rather than bare HTTP 413 and 404 (which clients report as UNKNOWN).
   */
  @Test
  void grpcRequestsRefusedBeforeTheServiceGetGrpcStatuses() {
    WebClient client = WebClient.of("h2c://127.0.0.1:" + server.grpcPort());
    int length = 2 * 1024 * 1024;
    AggregatedHttpResponse big =
        client
            .execute(
                grpcHeaders("/inference.GRPCInferenceService/ModelInfer")
                    .contentLength(length)
                    .build(),
                HttpData.wrap(new byte[length]))
            .aggregate()
            .join();
    AggregatedHttpResponse unknown =
        client
            .execute(
                grpcHeaders("/inference.GRPCInferenceService/Nope").contentLength(5).build(),
                HttpData.wrap(new byte[5]))
            .aggregate()
            .join();

    assertThat(big.status().code()).isEqualTo(200);
    assertThat(big.headers().get("grpc-status"))
        .isEqualTo(Integer.toString(Status.Code.RESOURCE_EXHAUSTED.value()));
    assertThat(big.headers().get("grpc-message"))
        .isEqualTo("request message is larger than the limit of 1048576 bytes");
    assertThat(unknown.status().code()).isEqualTo(200);
    assertThat(unknown.headers().get("grpc-status"))
        .isEqualTo(Integer.toString(Status.Code.UNIMPLEMENTED.value()));
    assertThat(unknown.headers().get("grpc-message"))
        .startsWith("no such method: /inference.GRPCInferenceService/Nope");
  }

  private static RequestHeadersBuilder grpcHeaders(String path) {
    return RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(MediaType.parse("application/grpc"))
        .add("te", "trailers")
        .add("authorization", "Bearer " + ALL_KEY);
  }

  @Test
  void aGrpcTensorOverTheElementLimitIsInvalidArgument() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("simple")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("INPUT0")
                    .setDatatype("INT32")
                    .addShape(100)
                    .addShape(1000))
            .build();

    StatusRuntimeException e = grpcFailure(() -> grpcStub().modelInfer(request));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "input 'INPUT0': shape [100, 1000] holds 100000 elements, more than the limit of 4096"
                + " per tensor");
  }

  @Test
  void grpcModelNamesAndVersionsAreChecked() {
    StatusRuntimeException name =
        grpcFailure(
            () -> grpcStub().modelReady(ModelReadyRequest.newBuilder().setName("../x").build()));
    StatusRuntimeException version =
        grpcFailure(
            () ->
                grpcStub()
                    .modelReady(
                        ModelReadyRequest.newBuilder()
                            .setName("simple")
                            .setVersion("1/..")
                            .build()));

    assertThat(name.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(name.getStatus().getDescription()).startsWith("model name '../x'");
    assertThat(version.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
