package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteCoalescing} on a real Armeria server over loopback, read with a plain socket: answers
 * arrive whole, pipelined requests are all answered, and a streamed response is not held back until
 * it ends.
 */
class WriteCoalescingTest {
  private Server server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().join();
    }
  }

  @Test
  void aSmallAnswerArrivesWhole() throws IOException {
    start(sb -> sb.service("/fixed", (ctx, req) -> HttpResponse.of("a fixed answer")));

    try (Socket socket = connect()) {
      send(socket, "GET /fixed HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = readUntil(socket.getInputStream(), "a fixed answer");

      assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("content-length: 14");
    }
  }

  @Test
  void pipelinedRequestsAreAllAnswered() throws IOException {
    start(
        sb -> sb.service("/n/{n}", (ctx, req) -> HttpResponse.of("answer " + ctx.pathParam("n"))));

    try (Socket socket = connect()) {
      StringBuilder requests = new StringBuilder();
      for (int i = 0; i < 300; i++) { // more than the flushes held during one read
        requests.append("GET /n/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
      }
      send(socket, requests.toString());
      String answers = readUntil(socket.getInputStream(), "answer 299");

      assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(301);
      assertThat(answers).contains("answer 0", "answer 150");
    }
  }

  @Test
  void aStreamedResponseLeavesPartByPart() throws Exception {
    CountDownLatch firstPartRead = new CountDownLatch(1);
    AtomicBoolean secondPartWritten = new AtomicBoolean();
    start(
        sb ->
            sb.service(
                "/stream",
                (ctx, req) -> {
                  HttpResponseWriter response = HttpResponse.streaming();
                  response.write(ResponseHeaders.of(HttpStatus.OK));
                  response.write(HttpData.ofUtf8("first part;"));
                  ctx.blockingTaskExecutor()
                      .execute(
                          () -> {
                            try {
                              firstPartRead.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            secondPartWritten.set(true);
                            response.write(HttpData.ofUtf8("second part"));
                            response.close();
                          });
                  return response;
                }));

    try (Socket socket = connect()) {
      send(socket, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = socket.getInputStream();
      readUntil(in, "first part;");
      boolean heldBack = secondPartWritten.get();
      firstPartRead.countDown();
      readUntil(in, "second part");

      assertThat(heldBack).as("the first part waited for the second").isFalse();
    }
  }

  private void start(Consumer<ServerBuilder> routes) {
    ServerBuilder sb = WriteCoalescing.apply(Server.builder().http(0));
    routes.accept(sb);
    server = sb.build();
    server.start().join();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.activeLocalPort());
    socket.setSoTimeout(60_000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads until {@code marker} has arrived; what was read so far, as text. */
  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!read.toString(StandardCharsets.UTF_8).contains(marker)) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("connection closed before '" + marker + "': " + read);
      }
      read.write(buffer, 0, n);
    }
    return read.toString(StandardCharsets.UTF_8);
  }
}
