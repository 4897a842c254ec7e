package dev.infera.core.lifecycle;

import dev.infera.core.resilience.CircuitBreakingScheduler;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One model's published state: its serving versions, the versions being loaded or drained, and the
 * reasons it or its versions are not ready. Written under the record's lock by {@link ModelManager}
 * (the draining set also by the threads that finish a drain); read without locks through the
 * volatile fields, which always hold complete immutable snapshots.
 */
final class ModelRecord {
  final String name;
  volatile NavigableMap<Long, ServingVersion> versions = Collections.emptyNavigableMap();
  private volatile Map<Long, String> versionFailures = Map.of();
  private volatile String failure = "";
  private volatile Set<Long> loading = Set.of();
  private volatile boolean wanted;
  private final Map<ServingVersion, Boolean> draining = new ConcurrentHashMap<>();

  ModelRecord(String name) {
    this.name = name;
  }

  void publish(NavigableMap<Long, ServingVersion> next, Map<Long, String> failures) {
    versions = Collections.unmodifiableNavigableMap(new TreeMap<>(next));
    versionFailures = Map.copyOf(failures);
    failure = next.isEmpty() && !failures.isEmpty() ? failures.values().iterator().next() : "";
  }

  void fail(String reason) {
    failure = reason;
  }

  /** Whether the model should be loaded: it was loaded and not unloaded since. */
  boolean wanted() {
    return wanted;
  }

  void want(boolean value) {
    wanted = value;
  }

  void loading(Set<Long> numbers) {
    loading = Set.copyOf(numbers);
  }

  void draining(ServingVersion version, boolean value) {
    if (value) {
      draining.put(version, Boolean.TRUE);
    } else {
      draining.remove(version);
    }
  }

  boolean hasReady() {
    return versions.values().stream().anyMatch(v -> v.state() == ModelState.READY);
  }

  List<ServingVersion> ready() {
    return versions.values().stream().filter(v -> v.state() == ModelState.READY).toList();
  }

  ServingVersion route(Optional<String> requested) {
    while (true) {
      NavigableMap<Long, ServingVersion> snapshot = versions;
      try {
        return routeIn(snapshot, requested);
      } catch (InferenceException e) {
        // A swap publishes the new table before it retires the old versions, so a snapshot
        // whose versions stopped being READY while it was read has a successor: route again.
        if (snapshot == versions) {
          throw e;
        }
      }
    }
  }

  private ServingVersion routeIn(
      NavigableMap<Long, ServingVersion> snapshot, Optional<String> requested) {
    if (requested.isPresent()) {
      long number = parseVersion(requested.get());
      ServingVersion version = snapshot.get(number);
      if (version == null || version.state() != ModelState.READY) {
        String reason = versionFailures.get(number);
        throw new InferenceException(
            ErrorCode.NOT_FOUND,
            "model '"
                + name
                + "' version '"
                + requested.get()
                + "' is not ready"
                + (reason != null ? ": " + reason : " (ready versions: " + readyList() + ")"));
      }
      return version;
    }
    for (ServingVersion version : snapshot.descendingMap().values()) {
      if (version.state() == ModelState.READY) {
        return version;
      }
    }
    if (!wanted) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND,
          "model '" + name + "' is not loaded" + (failure.isEmpty() ? "" : ": " + failure));
    }
    throw new InferenceException(
        ErrorCode.UNAVAILABLE,
        "model '" + name + "' has no ready version" + (failure.isEmpty() ? "" : ": " + failure));
  }

  private long parseVersion(String text) {
    try {
      long number = Long.parseLong(text);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InferenceException(
        ErrorCode.INVALID_ARGUMENT,
        "model '" + name + "': version '" + text + "' (expected a non-negative integer)");
  }

  private List<Long> readyList() {
    return ready().stream().map(ServingVersion::version).toList();
  }

  /**
   * One status per version: serving versions with their state (and, when a reload of them failed,
   * why they still serve the previous files), then versions loading, draining, or failed; one
   * model-level status when there is none.
   */
  List<VersionStatus> statuses() {
    NavigableMap<Long, ServingVersion> snapshot = versions;
    Map<Long, String> failures = versionFailures;
    String modelFailure = failure;
    TreeMap<Long, VersionStatus> byVersion = new TreeMap<>();
    snapshot.forEach(
        (number, version) -> {
          String reason = failures.getOrDefault(number, modelFailure);
          byVersion.put(
              number,
              new VersionStatus(
                  name,
                  Long.toString(number),
                  version.state(),
                  reason.isEmpty() ? "" : "serving the previous load; reload failed: " + reason,
                  CircuitBreakingScheduler.stateOf(version.scheduler())));
        });
    loading.forEach(
        number -> byVersion.putIfAbsent(number, status(number, ModelState.LOADING, "")));
    draining
        .keySet()
        .forEach(
            version ->
                byVersion.putIfAbsent(
                    version.version(), status(version.version(), version.state(), "")));
    failures.forEach(
        (number, reason) ->
            byVersion.putIfAbsent(number, status(number, ModelState.UNAVAILABLE, reason)));
    if (byVersion.isEmpty()) {
      return List.of(new VersionStatus(name, "", ModelState.UNAVAILABLE, modelFailure));
    }
    return List.copyOf(byVersion.values());
  }

  private VersionStatus status(long number, ModelState state, String reason) {
    return new VersionStatus(name, Long.toString(number), state, reason);
  }
}
