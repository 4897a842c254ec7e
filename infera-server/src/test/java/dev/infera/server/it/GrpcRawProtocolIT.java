package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.infera.server.InferaServer;
import dev.infera.server.grpc.proto.ModelInferRequest;
import org.junit.jupiter.api.Test;

/**
 * The protocol suite over gRPC with {@code raw_input_contents} (answered with {@code
 * raw_output_contents}), plus what only raw contents can get wrong.
 */
class GrpcRawProtocolIT extends ProtocolSuite {
  @Override
  protected ProtocolClient connect(InferaServer server) {
    return new GrpcClient(server.grpcPort(), true);
  }

  private ModelInferRequest.Builder simpleRequest() {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("simple");
    for (String name : new String[] {"INPUT0", "INPUT1"}) {
      request.addInputsBuilder().setName(name).setDatatype("INT32").addShape(1).addShape(16);
    }
    return request;
  }

  @Test
  void rawSizeNotMatchingTheShapeIsRejected() {
    ModelInferRequest request =
        simpleRequest()
            .addRawInputContents(ByteString.copyFrom(new byte[64]))
            .addRawInputContents(ByteString.copyFrom(new byte[60]))
            .build();

    ProtocolClient.Reply reply = ((GrpcClient) client).send(request);

    assertThat(reply.outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
    assertThat(reply.message()).contains("INPUT1");
  }

  @Test
  void rawContentsCountNotMatchingInputsIsRejected() {
    ModelInferRequest request =
        simpleRequest().addRawInputContents(ByteString.copyFrom(new byte[64])).build();

    ProtocolClient.Reply reply = ((GrpcClient) client).send(request);

    assertThat(reply.outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
    assertThat(reply.message()).contains("raw_input_contents");
  }
}
