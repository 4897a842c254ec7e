package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Shutdown under load: 16 clients (REST and gRPC) infer on a model whose batches wait 300 ms, so
 * that requests are queued when {@link InferaServer#close} runs on another thread. Every request
 * the engine accepted must get its complete, correct answer; the others are refused (503 /
 * UNAVAILABLE) or find the port closed.
 */
class GracefulShutdownIT {
  private static final int CLIENTS = 16;

  @Test
  void acceptedRequestsFinishWhileNewOnesAreRefused() throws Exception {
    InferaServer server =
        InferaServer.start(ServerOptions.onFreePorts(SlowQueueModel.repository(300, "")));
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder correct = new LongAdder();
    LongAdder refused = new LongAdder();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> closedPort = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> unavailable = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    List<ProtocolClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      ProtocolClient client =
          i % 2 == 0
              ? new RestClient(server.httpPort(), false)
              : new GrpcClient(server.grpcPort(), false);
      clients.add(client);
      Thread thread =
          new Thread(
              () -> {
                Call call = Call.of(SlowQueueModel.NAME, SlowQueueModel.inputs());
                while (running.get()) {
                  Reply reply;
                  try {
                    reply = client.infer(call);
                  } catch (RuntimeException portClosed) {
                    refused.increment(); // never reached the engine
                    closedPort.add(portClosed.toString());
                    continue;
                  }
                  if (reply.outcome() == Outcome.OK) {
                    if (SlowQueueModel.isCorrect(reply)) {
                      correct.increment();
                    } else {
                      wrong.add("wrong outputs from version " + reply.modelVersion());
                    }
                  } else if (reply.outcome() == Outcome.UNAVAILABLE) {
                    refused.increment();
                    unavailable.add(reply.message());
                  } else {
                    wrong.add(reply.outcome() + ": " + reply.message());
                  }
                }
              },
              "shutdown-client-" + i);
      thread.setUncaughtExceptionHandler((t, e) -> wrong.add(t.getName() + " died: " + e));
      threads.add(thread);
      thread.start();
    }
    while (server.engine().inflightCount() < CLIENTS || server.engine().acceptedCount() < 64) {
      Thread.onSpinWait(); // several batches done, and every client waiting on a queued request
    }

    Thread closer = new Thread(server::close, "closer");
    closer.start();
    closer.join();
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    for (ProtocolClient client : clients) {
      client.close();
    }

    assertThat(wrong).isEmpty();
    assertThat(correct.sum())
        .as("closed: %s; unavailable: %s", closedPort, new java.util.HashSet<>(unavailable))
        .isEqualTo(server.engine().acceptedCount());
    assertThat(refused.sum()).isPositive();
  }

  @Test
  void readinessTurnsFalseAndNewRequestsAreRefusedOnceShutdownBegins() throws Exception {
    try (InferaServer server =
            InferaServer.start(ServerOptions.onFreePorts(SlowQueueModel.repository(1, "")));
        RestClient rest = new RestClient(server.httpPort(), false);
        GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      assertThat(rest.get("/v2/health/ready").statusCode()).isEqualTo(200);

      server.engine().stopAccepting();

      HttpResponse<byte[]> ready = rest.get("/v2/health/ready");
      Reply overRest = rest.infer(Call.of(SlowQueueModel.NAME, SlowQueueModel.inputs()));
      Reply overGrpc = grpc.infer(Call.of(SlowQueueModel.NAME, SlowQueueModel.inputs()));
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(overRest.outcome()).isEqualTo(Outcome.UNAVAILABLE);
      assertThat(overRest.message()).contains("shutting down");
      assertThat(overGrpc.outcome()).isEqualTo(Outcome.UNAVAILABLE);
      assertThat(rest.get("/v2/health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void closeReturnsOnceTheExitTimeoutPassesEvenWithWorkLeft() throws Exception {
    InferaServer server =
        InferaServer.start(
            ServerOptions.onFreePorts(SlowQueueModel.repository(5_000, ""))
                .withExitTimeout(java.time.Duration.ofMillis(300)));
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      Thread client =
          new Thread(
              () -> rest.post(RestClient.inferPath(SlowQueueModel.NAME, null), body(), Map.of()));
      client.setDaemon(true);
      client.start();
      while (server.engine().inflightCount() < 1) {
        Thread.onSpinWait();
      }
      long start = System.nanoTime();

      server.close();

      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
    }
  }

  private static byte[] body() {
    String values = "[" + String.join(",", java.util.Collections.nCopies(16, "7")) + "]";
    return ("{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
            + values
            + "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
            + values
            + "}]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
