package dev.infera.server.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. Roles are independent: a key that should both read metadata and run
 * inference lists both.
 */
public enum Role {
  /** Run inference: {@code POST .../infer}, gRPC {@code ModelInfer}. */
  INFER,
  /** Read the server's and models' metadata and readiness, and the repository index. */
  READ,
  /** Change what is served: repository load and unload. */
  ADMIN;

  /** The name used in the auth file and in messages: {@code infer}, {@code read}, {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this {@link #label()}, if any. */
  public static Optional<Role> fromLabel(String label) {
    return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
  }
}
