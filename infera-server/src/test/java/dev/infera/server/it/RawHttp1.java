package dev.infera.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 bytes on a raw loopback socket, for requests no HTTP client library sends. */
final class RawHttp1 {
  private RawHttp1() {}

  /**
   * Sends the bytes and reads every byte the server sends until it closes the connection.
   *
   * @throws AssertionError when the server leaves the connection open for 30 s
   */
  static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) != -1; ) {
          reply.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "the connection stayed open after: " + reply.toString(StandardCharsets.ISO_8859_1));
      } catch (IOException reset) {
        // closed by the server with a reset: the connection is closed, as required
      }
      return reply.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
