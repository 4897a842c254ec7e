package dev.infera.core;

import java.util.Objects;

/**
 * An output the caller asked for, with how it wants it delivered. The engine reads the name; the
 * protocol layer reads the options when it encodes the answer.
 */
public record RequestedOutput(String name, OutputOptions options) {
  public RequestedOutput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
  }

  public static RequestedOutput named(String name) {
    return new RequestedOutput(name, OutputOptions.DEFAULT);
  }
}
