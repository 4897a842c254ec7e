package dev.infera.server;

import java.util.Objects;

/**
 * Where one of the server's endpoints listens, or that it is off.
 *
 * @param enabled whether the endpoint is opened at all (Triton's {@code --allow-http}, {@code
 *     --allow-grpc}, {@code --allow-metrics})
 * @param address the address it listens on, such as {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port; 0 picks a free one
 */
public record Endpoint(boolean enabled, String address, int port) {
  public Endpoint {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("address is empty (expected a host name or IP address)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " (expected 0 to 65535)");
    }
  }

  /** An endpoint that is on. */
  public static Endpoint on(String address, int port) {
    return new Endpoint(true, address, port);
  }

  /** An endpoint that is off; its address and port are not used. */
  public static Endpoint off() {
    return new Endpoint(false, "0.0.0.0", 0);
  }
}
