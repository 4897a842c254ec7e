package dev.infera.bench;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infera bench trivial-server}: an HTTP/1.1 and HTTP/2 endpoint that answers every request
 * at once with a fixed small JSON body, on the same stack as the server (Armeria). Load on it
 * measures the transport ceiling of this machine. Runs until SIGTERM or SIGINT.
 */
@Command(
    name = "trivial-server",
    mixinStandardHelpOptions = true,
    description = "Answer every request with a fixed small JSON body: the HTTP ceiling.")
final class TrivialServerCommand implements Callable<Integer> {
  static final byte[] BODY =
      "{\"model_name\":\"trivial\",\"outputs\":[]}".getBytes(StandardCharsets.UTF_8);

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "The port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      System.err.println("infera bench trivial-server: --port " + port + " (expected 0 to 65535)");
      return CommandLine.ExitCode.USAGE;
    }
    Server server =
        Server.builder()
            .http(port)
            .service("prefix:/", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, BODY))
            .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop().join();
                  stopped.countDown();
                },
                "trivial-server-shutdown"));
    server.start().join();
    System.err.println("infera bench: trivial endpoint on port " + server.activeLocalPort());
    stopped.await();
    return 0;
  }
}
