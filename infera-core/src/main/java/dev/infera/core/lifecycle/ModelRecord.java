package dev.infera.core.lifecycle;

import dev.infera.core.routing.ModelRoutes;
import dev.infera.core.routing.RoutedVersion;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One model's published state: its serving versions, the versions being loaded or drained, and the
 * reasons it or its versions are not ready. Written under the record's lock by {@link ModelManager}
 * (the draining set also by the threads that finish a drain); read without locks through the
 * volatile fields, which always hold complete immutable snapshots. Every change of what serves is
 * handed to the publisher as the model's new {@link ModelRoutes}, which routing reads.
 */
final class ModelRecord {
  final String name;
  volatile NavigableMap<Long, ServingVersion> versions = Collections.emptyNavigableMap();
  private volatile Map<Long, String> versionFailures = Map.of();
  private volatile String failure = "";
  private volatile Set<Long> loading = Set.of();
  private volatile boolean wanted;
  private final Map<ServingVersion, Boolean> draining = new ConcurrentHashMap<>();
  private final Consumer<ModelRoutes> publisher;

  /**
   * @param publisher receives the model's routes after every change, under the record's lock
   */
  ModelRecord(String name, Consumer<ModelRoutes> publisher) {
    this.name = name;
    this.publisher = publisher;
  }

  void publish(NavigableMap<Long, ServingVersion> next, Map<Long, String> failures) {
    versions = Collections.unmodifiableNavigableMap(new TreeMap<>(next));
    versionFailures = Map.copyOf(failures);
    failure = next.isEmpty() && !failures.isEmpty() ? failures.values().iterator().next() : "";
    publishRoutes();
  }

  /**
   * Records a load that failed as a whole (configuration, backend, model gone): its reason replaces
   * the version reasons of the previous load, which no longer describe this one.
   */
  void failLoad(String reason) {
    versionFailures = Map.of();
    fail(reason);
  }

  void fail(String reason) {
    failure = reason;
    publishRoutes();
  }

  private void publishRoutes() {
    publisher.accept(
        new ModelRoutes(
            name, new TreeMap<Long, RoutedVersion>(versions), versionFailures, failure, wanted));
  }

  /** Whether the model should be loaded: it was loaded and not unloaded since. */
  boolean wanted() {
    return wanted;
  }

  /**
   * Marks the model wanted or not. A model wanted again after an unload forgets the unload's
   * reasons: while it loads it is not "unloaded", and its routes say it should serve.
   */
  void want(boolean value) {
    if (value && !wanted) {
      failure = "";
      versionFailures = Map.of();
    }
    wanted = value;
    publishRoutes();
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
                  version.circuitState()));
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
