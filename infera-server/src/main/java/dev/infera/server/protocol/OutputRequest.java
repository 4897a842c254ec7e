package dev.infera.server.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * An output as a request names it, before its parameters are translated: its name and its plain
 * parameter values ({@code Boolean}, {@code Long}, {@code Double}, {@code String}).
 */
public record OutputRequest(String name, Map<String, Object> parameters) {
  public OutputRequest {
    Objects.requireNonNull(name, "name");
    parameters = Map.copyOf(parameters);
  }
}
