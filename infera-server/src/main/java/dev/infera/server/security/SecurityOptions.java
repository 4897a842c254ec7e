package dev.infera.server.security;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server's ports are protected.
 *
 * @param authConfig the auth file ({@code --auth-config}); empty: no authentication (the default,
 *     for local use)
 * @param tls TLS for the HTTP and gRPC ports; empty: plain text
 * @param maxTensorElements the most elements one input tensor may hold ({@code
 *     --max-tensor-elements}); larger shapes are refused with 400 / INVALID_ARGUMENT
 */
public record SecurityOptions(
    Optional<Path> authConfig, Optional<TlsOptions> tls, long maxTensorElements) {
  /** 2^24 elements: a 64 MiB FP32 tensor. */
  public static final long DEFAULT_MAX_TENSOR_ELEMENTS = 1L << 24;

  public SecurityOptions {
    Objects.requireNonNull(authConfig, "authConfig");
    Objects.requireNonNull(tls, "tls");
    if (maxTensorElements < 1) {
      throw new IllegalArgumentException(
          "maxTensorElements " + maxTensorElements + " (expected > 0)");
    }
  }

  /** No authentication, no TLS, the default limits: for local use and tests. */
  public static SecurityOptions none() {
    return new SecurityOptions(Optional.empty(), Optional.empty(), DEFAULT_MAX_TENSOR_ELEMENTS);
  }

  public SecurityOptions withAuthConfig(Path file) {
    return new SecurityOptions(Optional.of(file), tls, maxTensorElements);
  }

  public SecurityOptions withTls(TlsOptions options) {
    return new SecurityOptions(authConfig, Optional.of(options), maxTensorElements);
  }

  public SecurityOptions withMaxTensorElements(long max) {
    return new SecurityOptions(authConfig, tls, max);
  }
}
