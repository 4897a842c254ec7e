package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clients that open requests and never finish them cannot exhaust the server: stalled uploads are
 * bounded by the buffered-bytes cap and cut off at the request timeout, idle HTTP/2 streams by the
 * per-connection stream limit, and other clients are served meanwhile. The server runs with short
 * timeouts and a small cap so the test stays quick.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLimitsIT {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
  private static final long CAP = 16L << 20;
  private static final int STREAM_LIMIT = 64;
  private static final int STALLED = 200;
  private static final int BODY = 2 << 20;
  private static final String BUFFERED = "infera_request_buffered_bytes";

  private InferaServer server;

  @BeforeAll
  void start() {
    ServerOptions options = ServerOptions.onFreePorts(TestRepository.standard());
    server =
        InferaServer.start(
            options.withLimits(
                options
                    .limits()
                    .withRequestTimeout(REQUEST_TIMEOUT)
                    .withIdleTimeout(Duration.ofSeconds(3))
                    .withMaxBufferedRequestBytes(CAP)
                    .withHttp2MaxStreams(STREAM_LIMIT)));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void assertOthersAreServed() {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      assertThat(
              rest.infer(Call.of("simple", Samples.of("simple").cases().get(0).inputs())).outcome())
          .isEqualTo(Outcome.OK);
    }
  }

  @Test
  void stalledUploadsStayUnderTheCapAndAreCutOffAtTheTimeout() throws Exception {
    long heapBefore = usedHeapAfterGc();
    ExecutorService writers = Executors.newFixedThreadPool(32);
    List<Socket> sockets = new ArrayList<>();
    try {
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int i = 0; i < STALLED; i++) {
        Socket socket = new Socket("127.0.0.1", server.httpPort());
        socket.setSoTimeout((int) REQUEST_TIMEOUT.multipliedBy(6).toMillis());
        sockets.add(socket);
        boolean chunked = i % 2 == 0;
        sent.add(CompletableFuture.runAsync(() -> sendHalf(socket, chunked), writers));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();

      assertThat(Metrics.value(server.metricsPort(), BUFFERED)).isLessThanOrEqualTo(CAP);
      assertThat(usedHeapAfterGc() - heapBefore).isLessThan(CAP + (32L << 20));
      assertOthersAreServed();

      for (Socket socket : sockets) {
        assertThat(answerOrClose(socket)).as("each stalled upload ends").isTrue();
      }
    } finally {
      writers.shutdownNow();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    assertThat(Metrics.value(server.metricsPort(), BUFFERED)).isZero();
    assertOthersAreServed();
  }

  /** Headers and half the body, then nothing: the connection stays open. */
  private void sendHalf(Socket socket, boolean chunked) {
    try {
      OutputStream out = socket.getOutputStream();
      String head =
          "POST /v2/models/simple/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\n"
              + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY + "\r\n")
              + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] half = new byte[BODY / 2];
      Arrays.fill(half, (byte) ' ');
      if (chunked) {
        out.write((Integer.toHexString(half.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write(half);
      out.flush();
    } catch (IOException refusedEarly) {
      // The server answered 503 and closed before the half was written: refused, as it should.
    }
  }

  /** Whether the server answers or closes the connection within a few request timeouts. */
  private static boolean answerOrClose(Socket socket) {
    try {
      int first = socket.getInputStream().read();
      return first == -1 || first == 'H';
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void idleHttp2StreamsAreBoundedByTheStreamLimit() throws Exception {
    long heapBefore = usedHeapAfterGc();
    int streams = 100_000;
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout((int) REQUEST_TIMEOUT.multipliedBy(10).toMillis());
      OutputStream out = socket.getOutputStream();
      Http2Reader reader = new Http2Reader(socket.getInputStream(), out);
      Thread reading = new Thread(reader, "h2-reader");
      reading.start();
      synchronized (out) {
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        writeFrame(out, 0x4, 0, 0, new byte[0]);
      }
      DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
      Http2Headers headers =
          new DefaultHttp2Headers()
              .method("POST")
              .scheme("http")
              .authority("127.0.0.1")
              .path("/v2/models/simple/infer")
              .set("content-type", "application/json");
      int sent = 0;
      try {
        for (int i = 0; i < streams && !reader.goAway(); i++) {
          int streamId = 2 * i + 1;
          ByteBuf block = Unpooled.buffer();
          encoder.encodeHeaders(streamId, headers, block);
          byte[] bytes = new byte[block.readableBytes()];
          block.readBytes(bytes);
          block.release();
          synchronized (out) {
            writeFrame(out, 0x1, 0x4, streamId, bytes); // HEADERS, END_HEADERS, no END_STREAM
          }
          sent++;
        }
        out.flush();
      } catch (IOException closedByServer) {
        // The server gave up on the connection (GOAWAY, then close): bounded, as it should.
      }

      assertThat(reader.maxConcurrentStreams()).isEqualTo(STREAM_LIMIT);
      assertThat(Metrics.value(server.metricsPort(), BUFFERED)).isLessThanOrEqualTo(CAP);
      assertThat(usedHeapAfterGc() - heapBefore).isLessThan(64L << 20);
      assertOthersAreServed();

      // Every stream beyond the limit is refused at once; the admitted ones (at most the limit at
      // any time) are answered at the request timeout, which frees their slots for later ones.
      reading.join(REQUEST_TIMEOUT.multipliedBy(10).toMillis());
      // Either every stream was refused or answered, or the server gave up on the connection.
      assertThat(reader.goAway() || reader.closed() || reader.ended() >= sent)
          .as(
              "sent %d, refused %d, answered %d, goaway %s",
              sent, reader.refused(), reader.answered(), reader.goAway())
          .isTrue();
    }
    assertOthersAreServed();
  }

  private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    byte[] header = new byte[9];
    header[0] = (byte) (payload.length >>> 16);
    header[1] = (byte) (payload.length >>> 8);
    header[2] = (byte) payload.length;
    header[3] = (byte) type;
    header[4] = (byte) flags;
    header[5] = (byte) (stream >>> 24);
    header[6] = (byte) (stream >>> 16);
    header[7] = (byte) (stream >>> 8);
    header[8] = (byte) stream;
    out.write(header);
    out.write(payload);
  }

  /** Reads the server's frames: its stream limit, refusals, answers and GOAWAY. */
  private static final class Http2Reader implements Runnable {
    private final DataInputStream in;
    private final OutputStream out;
    private final AtomicLong maxStreams = new AtomicLong(-1);
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean goAway;
    private volatile boolean closed;

    Http2Reader(InputStream in, OutputStream out) {
      this.in = new DataInputStream(in);
      this.out = out;
    }

    @Override
    public void run() {
      try {
        while (true) {
          int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
          int type = in.readUnsignedByte();
          int flags = in.readUnsignedByte();
          in.readInt();
          byte[] payload = new byte[length];
          in.readFully(payload);
          switch (type) {
            case 0x4 -> settings(flags, payload);
            case 0x3 -> refused.incrementAndGet();
            case 0x1 -> answered.incrementAndGet();
            case 0x7 -> goAway = true;
            default -> {}
          }
        }
      } catch (SocketTimeoutException quiet) {
        // the server went quiet with the connection open
      } catch (IOException end) {
        closed = true; // the server closed (EOF) or reset the connection
      }
    }

    private void settings(int flags, byte[] payload) throws IOException {
      if ((flags & 0x1) != 0) {
        return;
      }
      for (int i = 0; i + 6 <= payload.length; i += 6) {
        int id = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
        long value =
            ((payload[i + 2] & 0xffL) << 24)
                | ((payload[i + 3] & 0xff) << 16)
                | ((payload[i + 4] & 0xff) << 8)
                | (payload[i + 5] & 0xff);
        if (id == 0x3) {
          maxStreams.set(value);
        }
      }
      synchronized (out) {
        writeFrame(out, 0x4, 0x1, 0, new byte[0]);
      }
    }

    long maxConcurrentStreams() {
      return maxStreams.get();
    }

    int refused() {
      return refused.get();
    }

    int answered() {
      return answered.get();
    }

    int ended() {
      return refused.get() + answered.get();
    }

    boolean goAway() {
      return goAway;
    }

    boolean closed() {
      return closed;
    }
  }
}
