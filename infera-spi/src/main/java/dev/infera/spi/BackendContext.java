package dev.infera.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What the server gives a backend before its first load.
 *
 * @param config the backend's own settings, such as {@code --backend-config python,interpreter=…}
 *     gives; keys and values as written
 * @param meters where the backend records its own metrics
 */
public record BackendContext(Map<String, String> config, BackendMeters meters) {
  public BackendContext {
    config = Map.copyOf(config);
    Objects.requireNonNull(meters, "meters");
  }

  /** No settings and meters that record nothing. */
  public static BackendContext empty() {
    return new BackendContext(Map.of(), BackendMeters.none());
  }
}
