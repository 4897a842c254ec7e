package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.Endpoint;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.StartupException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Start-up behind a load balancer: endpoints bind before any model loads, a busy port fails at once
 * naming the port and its flag, and readiness (REST, gRPC ServerReady, grpc.health.v1) is true only
 * when every endpoint listens and the models are ready.
 */
class StartupIT {

  @Test
  void aBusyPortFailsStartUpBeforeAnyModelLoadsNamingThePortAndTheFlag() throws IOException {
    ListAppender<ILoggingEvent> log = captureLog();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      ServerOptions options = ServerOptions.onFreePorts(TestRepository.standard());
      ServerOptions onBusyGrpcPort =
          options.withEndpoints(options.http(), Endpoint.on("127.0.0.1", port), options.metrics());

      assertThatThrownBy(() -> InferaServer.start(onBusyGrpcPort))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("gRPC endpoint cannot listen on 127.0.0.1:" + port)
          .hasMessageContaining("already in use")
          .hasMessageContaining("--grpc-port");
    } finally {
      detach(log);
    }
    assertThat(log.list)
        .as("no model started loading")
        .noneMatch(event -> event.getFormattedMessage().contains("is READY"))
        .noneMatch(event -> event.getLoggerName().contains("Backend"));
  }

  @Test
  void readyTurnsTrueOnlyOnceEveryEndpointListens() throws Exception {
    int http = freePort();
    int grpc = freePort();
    ServerOptions options = ServerOptions.onFreePorts(TestRepository.standard());
    ServerOptions fixed =
        options.withEndpoints(
            Endpoint.on("127.0.0.1", http), Endpoint.on("127.0.0.1", grpc), options.metrics());
    CompletableFuture<InferaServer> starting =
        CompletableFuture.supplyAsync(() -> InferaServer.start(fixed));
    try (RestClient rest = new RestClient(http, false)) {
      // As a client behind a load balancer would: wait for ready over REST, then use gRPC at once.
      while (!readyQuietly(rest)) {
        assertThat(starting).isNotCompletedExceptionally();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // polling, as a client would
      }
      try (GrpcClient client = new GrpcClient(grpc, false)) {
        assertThat(client.serverReady()).isTrue();
      }
    } finally {
      starting.get(5, TimeUnit.MINUTES).close();
    }
  }

  @Test
  void grpcHealthIsServingExactlyWhenTheServerIsReady() throws IOException {
    Path repo = Files.createTempDirectory("infera-health");
    LifecycleServers.simpleCopy(repo, "m", "");
    String good = Files.readString(repo.resolve("m/config.pbtxt"));
    Files.writeString(repo.resolve("m/config.pbtxt"), "max_batch_size: -1\n");
    try (InferaServer server =
        LifecycleServers.start(repo, ControlOptions.explicit(List.of("m")))) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try (RestClient rest = new RestClient(server.httpPort(), false)) {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        // Model 'm' failed to load: strict readiness keeps the server unready.
        assertThat(rest.serverReady()).isFalse();
        assertThat(status(health, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(status(health, "inference.GRPCInferenceService"))
            .isEqualTo(ServingStatus.NOT_SERVING);

        Files.writeString(repo.resolve("m/config.pbtxt"), good);
        server.controller().load("m", java.util.Optional.empty()).join();

        assertThat(rest.serverReady()).isTrue();
        assertThat(status(health, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(status(health, "inference.GRPCInferenceService"))
            .isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
    return health
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  private static boolean readyQuietly(RestClient rest) {
    try {
      return rest.serverReady();
    } catch (UncheckedIOException e) {
      return false; // not listening yet
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static ListAppender<ILoggingEvent> captureLog() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  private static void detach(ListAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
  }
}
