package dev.infera.core.lifecycle;

import dev.infera.spi.Backend;
import dev.infera.spi.BackendContext;
import dev.infera.spi.BackendMeters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends Infera can use, found with {@link ServiceLoader} or given explicitly (tests). Owns
 * them: {@link #close} closes each once, after every model is unloaded.
 */
public final class BackendRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackendRegistry.class);

  private final List<Backend> backends;
  private final Map<String, Backend> byName = new LinkedHashMap<>();

  public BackendRegistry(List<Backend> backends) {
    this.backends = List.copyOf(backends);
    for (Backend backend : this.backends) {
      byName.putIfAbsent(backend.name(), backend);
      for (String alias : backend.aliases()) {
        byName.putIfAbsent(alias, backend);
      }
    }
  }

  /** Every backend on the class path. */
  public static BackendRegistry discover() {
    List<Backend> found = new ArrayList<>();
    ServiceLoader.load(Backend.class).forEach(found::add);
    return new BackendRegistry(found);
  }

  /**
   * Gives every backend its settings and the meters it records to; call once, before the first
   * model loads.
   *
   * @param settings each backend's settings by backend name ({@code --backend-config}); a backend
   *     without an entry gets none
   */
  public void configure(Map<String, Map<String, String>> settings, BackendMeters meters) {
    for (Backend backend : backends) {
      backend.configure(
          new BackendContext(settings.getOrDefault(backend.name(), Map.of()), meters));
    }
  }

  /** The backend a configuration's {@code backend} or {@code platform} names. */
  public Optional<Backend> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The first backend that recognizes the files of a version folder. */
  public Optional<Backend> recognizing(Path versionDirectory) {
    return backends.stream().filter(b -> b.recognizes(versionDirectory)).findFirst();
  }

  /** The names and aliases that select a backend, for error messages. */
  public List<String> knownNames() {
    return List.copyOf(byName.keySet());
  }

  public List<Backend> backends() {
    return backends;
  }

  @Override
  public void close() {
    for (Backend backend : backends) {
      try {
        backend.close();
      } catch (RuntimeException e) {
        LOG.warn("backend '{}' failed to close: {}", backend.name(), e.toString());
      }
    }
  }
}
