package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/infera cds-archive} records the class-data archive of this build for the running JDK
 * (an AppCDS archive before JDK 25, an AOT cache from 25 on) under {@code target/cds}, {@code
 * bin/infera serve} then starts the JVM with it and serves, and an archive older than the server
 * jar is left out. Archives recorded before the test are put back afterwards, and the test's own is
 * deleted, so other tests start as they would have.
 */
class CdsArchiveIT {
  private static final Path SCRIPT = Paths.get("..", "bin", "infera").toAbsolutePath().normalize();
  private static final Path ARCHIVES = Paths.get("target", "cds").toAbsolutePath();
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> serveFlags() {
    return List.of(
        "--model-repository",
        TestRepository.examples().toString(),
        "--model-control-mode",
        "explicit",
        "--load-model",
        "simple",
        "--warmup=false");
  }

  private static ProcessBuilder infera(List<String> args, Path log) {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("JAVA", JAVA);
    builder.environment().remove("INFERA_CDS");
    builder.environment().remove("INFERA_JAVA_OPTS");
    builder.environment().remove("JAVA_OPTS");
    return builder;
  }

  @Test
  void helpExplainsTheCommandAndRecordsNothing() throws Exception {
    List<Path> before = archives();
    LauncherFlags.Run run = LauncherFlags.run(java.util.Map.of(), "cds-archive", "--help");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .startsWith("Usage: infera cds-archive [SERVE FLAGS]")
        .contains("INFERA_CDS=off")
        .doesNotContain("recording");
    assertThat(archives()).isEqualTo(before);
    if (Files.isDirectory(ARCHIVES)) {
      try (Stream<Path> files = Files.list(ARCHIVES)) {
        assertThat(files.filter(f -> f.toString().endsWith(".partial"))).isEmpty();
      }
    }
  }

  private static List<Path> archives() throws IOException {
    if (!Files.isDirectory(ARCHIVES)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(ARCHIVES)) {
      return files
          .filter(f -> f.getFileName().toString().matches("infera-.*\\.(jsa|aot)"))
          .toList();
    }
  }

  /** Starts {@code serve}, waits until ready, and returns the JVM's archive flag if it has one. */
  private static Optional<String> archiveFlagOfServe(Path log) throws Exception {
    int http = freePort();
    List<String> args = new ArrayList<>(List.of("serve"));
    args.addAll(serveFlags());
    args.addAll(
        List.of(
            "--http-address",
            "127.0.0.1",
            "--http-port",
            Integer.toString(http),
            "--grpc-port",
            Integer.toString(freePort()),
            "--metrics-port",
            Integer.toString(freePort())));
    Process process = infera(args, log).start();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v2/health/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      Instant deadline = Instant.now().plusSeconds(120);
      boolean isReady = false;
      while (!isReady && process.isAlive() && Instant.now().isBefore(deadline)) {
        try {
          isReady = client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListening) {
          // not yet listening
        }
        if (!isReady) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
      assertThat(isReady).as(Files.readString(log, StandardCharsets.UTF_8)).isTrue();
      List<String> jvmArgs =
          process
              .descendants()
              .flatMap(p -> p.info().arguments().stream())
              .flatMap(Arrays::stream)
              .toList();
      assertThat(jvmArgs).as("the server JVM's arguments").contains("serve");
      return jvmArgs.stream()
          .filter(a -> a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-XX:AOTCache="))
          .findFirst();
    } finally {
      process.destroy(); // SIGTERM: bin/infera passes it on and waits for the server
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  @Test
  void recordsTheArchiveAndServeStartsWithItUnlessItIsOlderThanTheJar() throws Exception {
    Path logs = Files.createTempDirectory("cds-archive-it");
    Path saved = Files.createDirectory(logs.resolve("saved"));
    for (Path earlier : archives()) {
      Files.move(earlier, saved.resolve(earlier.getFileName()));
    }
    try {
      Path recordLog = logs.resolve("record.log");
      List<String> args = new ArrayList<>(List.of("cds-archive"));
      args.addAll(serveFlags());
      Process record = infera(args, recordLog).start();
      assertThat(record.waitFor(240, TimeUnit.SECONDS)).as("cds-archive ends").isTrue();
      String recorded = Files.readString(recordLog, StandardCharsets.UTF_8);
      assertThat(record.exitValue()).as(recorded).isZero();
      assertThat(recorded).contains("wrote ");
      List<Path> archives = archives();
      assertThat(archives).as(recorded).hasSize(1);
      Path archive = archives.get(0);
      assertThat(Files.size(archive)).isPositive();

      Optional<String> flag = archiveFlagOfServe(logs.resolve("serve.log"));
      assertThat(flag).as("serve starts the JVM with the archive").isPresent();
      assertThat(flag.get()).endsWith("=" + archive);

      // An archive older than the server jar belongs to an earlier build: serve leaves it out.
      Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
      assertThat(archiveFlagOfServe(logs.resolve("serve-stale.log")))
          .as("a stale archive is not used")
          .isEmpty();
    } finally {
      for (Path archive : archives()) {
        Files.deleteIfExists(archive);
      }
      try (Stream<Path> earlier = Files.list(saved)) {
        for (Path archive : earlier.toList()) {
          Files.move(archive, ARCHIVES.resolve(archive.getFileName()));
        }
      }
      try (Stream<Path> files = Files.walk(logs)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
