package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Client mistakes are reported as client errors, with the documented limits exactly: bodies that
 * are not what their encoding says, messages that are not protobuf, compressed bombs, and the gRPC
 * message limit of exactly 64 MiB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusClassesIT {
  private static final int LIMIT = 64 * 1024 * 1024;
  private static final MethodDescriptor<byte[], byte[]> MODEL_INFER =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("inference.GRPCInferenceService/ModelInfer")
          .setRequestMarshaller(new RawBytes())
          .setResponseMarshaller(new RawBytes())
          .build();

  private InferaServer server;
  private ManagedChannel channel;

  @BeforeAll
  void start() {
    server = InferaServer.start(ServerOptions.onFreePorts(TestRepository.standard()));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .maxInboundMessageSize(LIMIT)
            .build();
  }

  @AfterAll
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  private Status call(byte[] message, boolean gzip) {
    CallOptions options = gzip ? CallOptions.DEFAULT.withCompression("gzip") : CallOptions.DEFAULT;
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(channel, MODEL_INFER, options, message));
    assertThat(error).as("the call fails").isNotNull();
    return error.getStatus();
  }

  /** A ModelInferRequest of exactly {@code size} bytes: field 1 (model_name) padded. */
  private static byte[] requestOfSize(int size) {
    int nameLength = size - 1 - 4; // tag byte, 4-byte varint length
    byte[] message = new byte[size];
    message[0] = 0x0A;
    message[1] = (byte) (0x80 | (nameLength & 0x7F));
    message[2] = (byte) (0x80 | ((nameLength >>> 7) & 0x7F));
    message[3] = (byte) (0x80 | ((nameLength >>> 14) & 0x7F));
    message[4] = (byte) (nameLength >>> 21);
    Arrays.fill(message, 5, size, (byte) 'a');
    return message;
  }

  @Test
  void restBodyThatIsNotGzipIsABadRequest() {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      for (String encoding : new String[] {"gzip", "deflate"}) {
        HttpResponse<byte[]> response =
            rest.post(
                "/v2/models/simple/infer",
                "this is not compressed at all".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Content-Encoding", encoding));

        assertThat(response.statusCode()).as(encoding).isEqualTo(400);
        assertThat(RestClient.errorMessage(response.body())).contains("Content-Encoding");
      }
    }
  }

  @Test
  void malformedProtobufIsInvalidArgument() {
    Status status = call(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, 0x01, 0x02}, false);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("protobuf").doesNotContain("com.");
  }

  @Test
  void gzipBombIsAClientErrorWithoutInternals() {
    Status status = call(new byte[LIMIT + 1024 * 1024], true);

    assertThat(status.getCode())
        .as(status.getDescription())
        .isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .contains("request message")
        .doesNotContainPattern("\\b(com|io)\\.[a-z]+\\.")
        .isEqualTo(status.getDescription().strip());
  }

  @Test
  void grpcMessageLimitIsExactly64MiB() {
    Status atLimit = call(requestOfSize(LIMIT), false);
    Status overLimit = call(requestOfSize(LIMIT + 1), false);

    assertThat(atLimit.getCode()).isNotEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(overLimit.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(overLimit.getDescription()).contains("limit of " + LIMIT + " bytes");
  }

  /** Sends and receives messages as they are. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
