package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.uring.IoUring;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The socket transport of the packaged server ({@code INFERA_TRANSPORT}, docs/lifecycle.md "Network
 * transport"): io_uring where this machine allows it, epoll when asked or when io_uring is refused,
 * and requests answered over REST and gRPC either way.
 */
class NetworkTransportIT {

  private static String serveAndInfer(Map<String, String> environment) throws Exception {
    ServeProcess.Ports ports = ServeProcess.Ports.free();
    try (ServeProcess server = ServeProcess.serveExamples(environment, ports, "--warmup=false")) {
      server.awaitReady(ports.http());
      ProtocolClient.Call call =
          ProtocolClient.Call.of("simple", Samples.of("simple").cases().get(0).inputs());
      try (RestClient rest = new RestClient(ports.http(), false);
          GrpcClient grpcClient = new GrpcClient(ports.grpc(), false)) {
        assertThat(rest.infer(call).outcome()).isEqualTo(Outcome.OK);
        assertThat(grpcClient.infer(call).outcome()).isEqualTo(Outcome.OK);
      }
      assertThat(server.stop()).as(server.transcript()).isZero();
      return server.lines().stream()
          .filter(line -> line.contains("network transport: "))
          .findFirst()
          .map(line -> line.substring(line.indexOf("network transport: ")))
          .orElseThrow(() -> new AssertionError("no transport logged:\n" + server.transcript()));
    }
  }

  @Test
  void byDefaultServesOverIoUringWhereTheKernelAllowsIt() throws Exception {
    String logged = serveAndInfer(Map.of());
    if (IoUring.isAvailable()) {
      assertThat(logged).isEqualTo("network transport: io_uring");
    } else {
      assertThat(logged).startsWith("network transport: epoll (io_uring unavailable: ");
    }
  }

  @Test
  void epollWhenAskedFor() throws Exception {
    assertThat(serveAndInfer(Map.of("INFERA_TRANSPORT", "epoll")))
        .startsWith("network transport: epoll");
  }

  @Test
  void anUnknownTransportIsRefusedBeforeStarting() throws Exception {
    ServeProcess.Result result =
        ServeProcess.run(Map.of("INFERA_TRANSPORT", "turbo"), "serve", "--help");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output())
        .contains(
            "infera: INFERA_TRANSPORT=turbo is not a transport (expected auto, io_uring, epoll or"
                + " nio)");
  }
}
