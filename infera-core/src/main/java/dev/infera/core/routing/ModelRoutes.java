package dev.infera.core.routing;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One model's entry in the {@link RoutingTable}: its serving versions by number and, for versions
 * (or the whole model) that cannot serve, the reason.
 *
 * @param name the model's name
 * @param versions the serving versions by number, ascending (some may have stopped being READY
 *     since the table was published: a newer table then exists)
 * @param versionFailures why a version named by the version policy is not serving
 * @param failure why the model as a whole is not serving; empty when it is, or when only some
 *     versions failed
 * @param wanted whether the model should serve: loaded and not unloaded since
 */
public record ModelRoutes(
    String name,
    NavigableMap<Long, RoutedVersion> versions,
    Map<Long, String> versionFailures,
    String failure,
    boolean wanted) {

  public ModelRoutes {
    Objects.requireNonNull(name, "name");
    versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
    versionFailures = Map.copyOf(versionFailures);
    Objects.requireNonNull(failure, "failure");
  }

  /** The READY versions, ascending. */
  public List<RoutedVersion> ready() {
    return versions.values().stream().filter(RoutedVersion::isReady).toList();
  }

  /** The highest READY version. */
  public Optional<RoutedVersion> highestReady() {
    for (RoutedVersion version : versions.descendingMap().values()) {
      if (version.isReady()) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /** The version with this number when it is READY. */
  public Optional<RoutedVersion> readyVersion(long number) {
    RoutedVersion version = versions.get(number);
    return version != null && version.isReady() ? Optional.of(version) : Optional.empty();
  }
}
