package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.ServerWarmup.Ending;
import dev.infera.server.ServerWarmup.Result;
import dev.infera.server.ServerWarmup.Targets;
import dev.infera.server.grpc.proto.ModelInferRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a warm-up ends when there is nothing to warm; WarmupIT drives it against a real server. */
class ServerWarmupTest {
  private static final WarmupRequests MODEL =
      new WarmupRequests("m", new byte[0], new byte[0], 0, ModelInferRequest.getDefaultInstance());

  @Test
  void whenEveryCallFailsItStopsLongBeforeTheCapAndSaysSo() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once closed: connections refused
    }
    String uri = "http://127.0.0.1:" + closed;
    Result result =
        new ServerWarmup(
                WarmupSettings.capped(Duration.ofSeconds(60)),
                new Targets(Optional.of(uri), Optional.of(uri), false),
                "token")
            .run(List.of(MODEL));

    assertThat(result.ending()).isEqualTo(Ending.EVERY_CALL_FAILED);
    assertThat(result.settled()).isFalse();
    assertThat(result.failedCalls()).as("REST JSON, REST binary, gRPC").isEqualTo(3);
    assertThat(result.total()).isZero();
    assertThat(result.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void withNoEndpointToReachThereIsNothingToSend() {
    Result result =
        new ServerWarmup(
                WarmupSettings.capped(Duration.ofSeconds(60)),
                new Targets(Optional.empty(), Optional.empty(), false),
                "token")
            .run(List.of(MODEL));

    assertThat(result.ending()).isEqualTo(Ending.NOTHING_TO_SEND);
    assertThat(result.failedCalls()).isZero();
    assertThat(result.took()).isLessThan(Duration.ofSeconds(30));
  }
}
