package dev.infera.backend.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Python worker process and its control channel: length-framed JSON messages on its stdin and
 * stdout, one call at a time. Two daemon threads per process read its stdout (answers) and stderr
 * (logged, the last lines kept for error messages).
 *
 * <p>Threading: {@link #call} is called by one thread at a time (the instance's); {@link #kill} and
 * {@link #pid} from any thread.
 */
final class WorkerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Object END = new Object();
  private static final int KEPT_STDERR_LINES = 20;

  private final String label;
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
  private final Deque<String> lastErrorLines = new ArrayDeque<>();

  private WorkerProcess(String label, Process process) {
    this.label = label;
    this.process = process;
    this.stdin = process.getOutputStream();
    daemon(label + "-out", this::readAnswers).start();
    daemon(label + "-err", this::logErrors).start();
  }

  /**
   * Starts a worker.
   *
   * @param label names the worker in logs and thread names, such as {@code python-add_sub-1-0}
   * @param command the interpreter and its arguments
   * @param environment variables added to the server's own
   */
  static WorkerProcess start(String label, List<String> command, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    return new WorkerProcess(label, builder.start());
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends a message and waits for its answer; a reported error is thrown as REPORTED. */
  JsonNode call(ObjectNode message, Duration timeout) throws WorkerException {
    try {
      byte[] body = JSON.writeValueAsBytes(message);
      byte[] header =
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array();
      stdin.write(header);
      stdin.write(body);
      stdin.flush();
    } catch (IOException e) {
      throw died();
    }
    Object answer;
    try {
      answer = answers.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerException(WorkerException.Kind.TIMED_OUT, "INTERNAL", "interrupted");
    }
    if (answer == null) {
      throw new WorkerException(
          WorkerException.Kind.TIMED_OUT,
          "DEADLINE_EXCEEDED",
          "no answer within " + seconds(timeout));
    }
    if (answer == END) {
      answers.offer(END); // later calls see the end too
      throw died();
    }
    JsonNode reply = (JsonNode) answer;
    if (!reply.path("ok").asBoolean()) {
      throw new WorkerException(
          WorkerException.Kind.REPORTED,
          reply.path("code").asText("INTERNAL"),
          reply.path("error").asText("unknown error"));
    }
    return reply;
  }

  private WorkerException died() {
    String exit = "";
    try {
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        int code = process.exitValue();
        exit =
            code > 128 ? " (killed by signal " + (code - 128) + ")" : " (exit code " + code + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lastErrorLines) {
      LOG.warn("{}: worker exited{}; its last output: {}", label, exit, lastErrorLines);
    }
    return new WorkerException(
        WorkerException.Kind.DIED, "UNAVAILABLE", "the Python worker exited" + exit);
  }

  /** Stops the process at once (SIGKILL) and waits for it to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes its stdin (the worker exits on end of input) and kills it if it is still there. */
  @Override
  public void close() {
    try {
      stdin.close();
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        return;
      }
    } catch (IOException e) {
      // the pipe is already gone: the kill below makes sure
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
  }

  private void readAnswers() {
    try (DataInputStream in = new DataInputStream(process.getInputStream())) {
      byte[] header = new byte[4];
      while (true) {
        in.readFully(header);
        int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] body = new byte[length];
        in.readFully(body);
        answers.offer(JSON.readTree(body));
      }
    } catch (EOFException e) {
      // the worker exited
    } catch (IOException e) {
      LOG.debug("{}: control channel closed: {}", label, e.toString());
    } finally {
      answers.offer(END);
    }
  }

  private void logErrors() {
    try (BufferedReader err =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        LOG.info("{}: {}", label, line);
        synchronized (lastErrorLines) {
          if (lastErrorLines.size() == KEPT_STDERR_LINES) {
            lastErrorLines.removeFirst();
          }
          if (!line.isBlank()) {
            lastErrorLines.addLast(line.strip());
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("{}: stderr closed: {}", label, e.toString());
    }
  }

  static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : String.format(java.util.Locale.ROOT, "%.3f s", duration.toMillis() / 1000.0);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }
}
