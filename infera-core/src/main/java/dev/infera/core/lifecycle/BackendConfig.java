package dev.infera.core.lifecycle;

import dev.infera.spi.Backend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Server-wide backend settings, Triton's {@code --backend-config=BACKEND,KEY=VALUE}: each is given
 * to the backend when it loads a model, as a default of the model configuration's {@code
 * parameters} (the model's own value wins). {@code --backend-config=KEY=VALUE} without a backend
 * applies to every backend. A backend named by an alias (such as {@code onnxruntime_onnx}) counts
 * as that backend.
 *
 * @param settings backend name ({@code ""} for every backend) to its key-value settings
 */
public record BackendConfig(Map<String, Map<String, String>> settings) {
  public BackendConfig {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    settings.forEach((backend, values) -> copy.put(backend, Map.copyOf(values)));
    settings = Map.copyOf(copy);
  }

  public static BackendConfig none() {
    return new BackendConfig(Map.of());
  }

  /**
   * Parses {@code --backend-config} values, each {@code BACKEND,KEY=VALUE} or {@code KEY=VALUE}.
   *
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static BackendConfig parse(List<String> values) {
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    for (String value : values) {
      int comma = value.indexOf(',');
      int equals = value.indexOf('=');
      String backend = comma >= 0 && comma < equals ? value.substring(0, comma).trim() : "";
      String setting = comma >= 0 && comma < equals ? value.substring(comma + 1) : value;
      int at = setting.indexOf('=');
      if (at <= 0 || (comma >= 0 && comma < equals && backend.isEmpty())) {
        throw new IllegalArgumentException(
            "--backend-config '" + value + "' (expected BACKEND,KEY=VALUE or KEY=VALUE)");
      }
      settings
          .computeIfAbsent(backend, b -> new LinkedHashMap<>())
          .put(setting.substring(0, at).trim(), setting.substring(at + 1).trim());
    }
    return new BackendConfig(settings);
  }

  /**
   * A model's parameters with this configuration's defaults for {@code backend} added: first the
   * settings for every backend, then those for the backend, then the model's own.
   */
  public Map<String, String> withDefaults(Backend backend, Map<String, String> model) {
    Objects.requireNonNull(backend, "backend");
    Map<String, String> merged = new LinkedHashMap<>(settings.getOrDefault("", Map.of()));
    settings.forEach(
        (name, values) -> {
          if (name.equals(backend.name()) || backend.aliases().contains(name)) {
            merged.putAll(values);
          }
        });
    merged.putAll(model);
    return merged;
  }

  /**
   * Each backend's own settings (those for every backend, then those naming it or an alias), by
   * backend name, as {@link BackendRegistry#configure} gives them to the backends at start.
   */
  public Map<String, Map<String, String>> byBackend(List<Backend> backends) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    for (Backend backend : backends) {
      byName.put(backend.name(), withDefaults(backend, Map.of()));
    }
    return byName;
  }

  /** The backends named that are not among {@code known}, for a warning at start-up. */
  public List<String> unknownBackends(List<String> known) {
    return settings.keySet().stream()
        .filter(name -> !name.isEmpty() && !known.contains(name))
        .sorted()
        .toList();
  }
}
