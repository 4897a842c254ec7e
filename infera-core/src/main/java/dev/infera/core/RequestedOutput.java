package dev.infera.core;

import java.util.Map;
import java.util.Objects;

/**
 * An output the caller asked for, with the protocol parameters that came with it (such as {@code
 * binary_data}). The engine reads the name; frontends read the parameters when encoding.
 */
public record RequestedOutput(String name, Map<String, Object> parameters) {
  public RequestedOutput {
    Objects.requireNonNull(name, "name");
    parameters = Map.copyOf(parameters);
  }

  public static RequestedOutput named(String name) {
    return new RequestedOutput(name, Map.of());
  }
}
