package dev.infera.bench.client;

import java.util.Locale;

/** How requests travel: KServe v2 REST with JSON or binary tensor data, or gRPC. */
public enum Protocol {
  REST_JSON,
  REST_BINARY,
  GRPC;

  /** The command-line name: {@code rest-json}, {@code rest-binary}, {@code grpc}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @throws IllegalArgumentException listing the accepted names
   */
  public static Protocol fromCliName(String name) {
    for (Protocol protocol : values()) {
      if (protocol.cliName().equalsIgnoreCase(name)) {
        return protocol;
      }
    }
    throw new IllegalArgumentException(
        "--protocol '" + name + "' (expected rest-json, rest-binary or grpc)");
  }
}
