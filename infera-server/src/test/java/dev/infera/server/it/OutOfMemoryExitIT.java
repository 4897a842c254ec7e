package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/infera serve} on a heap too small for its load: the OutOfMemoryError ends the process
 * (exit code 3, {@code -XX:+ExitOnOutOfMemoryError}) instead of leaving one that answers nothing,
 * and the script says why.
 */
class OutOfMemoryExitIT {
  private static final int STRINGS = 1_000_000;

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One BYTES tensor of a million short strings: a few MB of JSON, tens of MB once decoded. */
  private static String manyStrings() {
    StringBuilder json = new StringBuilder(STRINGS * 12 + 200);
    json.append("{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"BYTES\",\"shape\":[")
        .append(STRINGS)
        .append("],\"data\":[");
    for (int i = 0; i < STRINGS; i++) {
      json.append(i == 0 ? "" : ",").append("\"s").append(i % 1000).append('"');
    }
    return json.append("]}]}").toString();
  }

  @Test
  void outOfMemoryEndsTheServerWithExitCode3AndSaysWhy() throws Exception {
    Path script = Paths.get("..", "bin", "infera").toAbsolutePath().normalize();
    int http = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                script.toString(),
                "serve",
                "--model-repository",
                TestRepository.examples().toString(),
                "--http-port",
                Integer.toString(http),
                "--grpc-port",
                Integer.toString(freePort()),
                "--metrics-port",
                Integer.toString(freePort()),
                "--http-address",
                "127.0.0.1",
                "--load-model",
                "string_identity",
                "--model-control-mode",
                "explicit")
            .redirectErrorStream(true);
    builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
    builder.environment().put("INFERA_JAVA_OPTS", "-Xmx96m -XX:+UseSerialGC");
    Process process = builder.start();
    try {
      BufferedReader log =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = log.readLine()) != null && !line.contains("metrics endpoint listening")) {
        lines.add(line);
      }
      assertThat(line).as(String.join("\n", lines)).isNotNull();

      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + http + "/v2/models/string_identity/infer"))
              .POST(HttpRequest.BodyPublishers.ofString(manyStrings()))
              .header("Content-Type", "application/json")
              .build();
      for (int round = 0; round < 20 && process.isAlive(); round++) {
        List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> call : calls) {
          call.handle((response, failure) -> null).join();
        }
      }

      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the server exits").isTrue();
      while ((line = log.readLine()) != null) {
        lines.add(line);
      }
      assertThat(process.exitValue()).as(String.join("\n", lines)).isEqualTo(3);
      assertThat(lines).anyMatch(l -> l.contains("OutOfMemoryError"));
      assertThat(lines).anyMatch(l -> l.contains("infera: the server ran out of memory"));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
