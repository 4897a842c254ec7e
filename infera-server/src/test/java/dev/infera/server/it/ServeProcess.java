package dev.infera.server.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The packaged server run as a user runs it, {@code java -jar infera-server.jar ...}, in its own
 * process; its output (standard output and error together) is read line by line.
 */
final class ServeProcess implements AutoCloseable {
  /** What a finished command printed and its exit code. */
  record Result(int exitCode, String output) {}

  private final Process process;
  private final BufferedReader output;
  private final List<String> lines = new ArrayList<>();

  private ServeProcess(Process process) {
    this.process = process;
    this.output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static Path jar() {
    try (Stream<Path> files = Files.list(Paths.get("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("infera-server-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().contains("-tests"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("run after 'package': no server jar in target/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to its end (within 2 minutes). */
  static Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  /** Runs a command with these environment variables added, to its end (within 2 minutes). */
  static Result run(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 2 minutes:\n" + output);
    }
    return new Result(process.exitValue(), output);
  }

  /** Starts a command and reads its output until a line matches (or the output ends). */
  static ServeProcess start(Predicate<String> until, String... args) throws IOException {
    ServeProcess started = launch(args);
    started.readUntil(until);
    return started;
  }

  /** Free loopback ports for a served process's REST, gRPC and metrics endpoints. */
  record Ports(int http, int grpc, int metrics) {
    static Ports free() {
      return new Ports(freePort(), freePort(), freePort());
    }
  }

  /**
   * {@code serve} of the examples repository on these ports (REST on loopback), with {@code
   * extraFlags} and {@code environment} added, without reading its output.
   */
  static ServeProcess serveExamples(
      Map<String, String> environment, Ports ports, String... extraFlags) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--model-repository",
                TestRepository.examples().toString(),
                "--http-port",
                Integer.toString(ports.http()),
                "--grpc-port",
                Integer.toString(ports.grpc()),
                "--metrics-port",
                Integer.toString(ports.metrics()),
                "--http-address",
                "127.0.0.1"));
    args.addAll(List.of(extraFlags));
    return launch(environment, args.toArray(String[]::new));
  }

  /** Starts a command without reading its output. */
  static ServeProcess launch(String... args) throws IOException {
    return launch(Map.of(), args);
  }

  /** Starts a command with these environment variables added, without reading its output. */
  static ServeProcess launch(Map<String, String> environment, String... args) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new ServeProcess(builder.start());
  }

  /**
   * Waits until the server's REST readiness answers 200, polling as a load balancer would.
   *
   * @throws AssertionError when the process ends first
   */
  void awaitReady(int httpPort) throws IOException {
    try (RestClient rest = new RestClient(httpPort, false)) {
      while (true) {
        if (!process.isAlive()) {
          readUntil(line -> false);
          throw new AssertionError("the server ended before it was ready:\n" + transcript());
        }
        try {
          if (rest.serverReady()) {
            return;
          }
        } catch (UncheckedIOException e) {
          // not listening yet
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  /** Reads lines until one matches; returns it, or null when the output ended first. */
  String readUntil(Predicate<String> until) throws IOException {
    String line;
    while ((line = output.readLine()) != null) {
      lines.add(line);
      if (until.test(line)) {
        return line;
      }
    }
    return null;
  }

  /** Every line read so far. */
  List<String> lines() {
    return lines;
  }

  String transcript() {
    return String.join("\n", lines);
  }

  Process process() {
    return process;
  }

  /** SIGTERM, then the rest of the output and the exit code (within a minute). */
  int stop() throws IOException, InterruptedException {
    process.toHandle().destroy();
    readUntil(line -> false);
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("did not stop within a minute:\n" + transcript());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
