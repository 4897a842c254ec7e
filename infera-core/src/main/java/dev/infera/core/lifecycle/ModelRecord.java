package dev.infera.core.lifecycle;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One model's published state: its serving versions and the reasons it or its versions are not
 * ready. Written under the record's lock by {@link ModelManager}; read without locks through the
 * volatile fields, which always hold complete immutable snapshots.
 */
final class ModelRecord {
  final String name;
  volatile NavigableMap<Long, ServingVersion> versions = new TreeMap<>();
  private volatile Map<Long, String> versionFailures = Map.of();
  private volatile String failure = "";

  ModelRecord(String name) {
    this.name = name;
  }

  void publish(NavigableMap<Long, ServingVersion> next, Map<Long, String> failures) {
    versions = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(next));
    versionFailures = Map.copyOf(failures);
    failure = next.isEmpty() && !failures.isEmpty() ? failures.values().iterator().next() : "";
  }

  void fail(String reason) {
    failure = reason;
  }

  boolean hasReady() {
    return versions.values().stream().anyMatch(v -> v.state() == ModelState.READY);
  }

  List<ServingVersion> ready() {
    return versions.values().stream().filter(v -> v.state() == ModelState.READY).toList();
  }

  ServingVersion route(Optional<String> requested) {
    NavigableMap<Long, ServingVersion> snapshot = versions;
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

  List<VersionStatus> statuses() {
    List<VersionStatus> statuses = new ArrayList<>();
    NavigableMap<Long, ServingVersion> snapshot = versions;
    Map<Long, String> failures = versionFailures;
    TreeMap<Long, VersionStatus> byVersion = new TreeMap<>();
    snapshot.forEach(
        (number, version) ->
            byVersion.put(
                number, new VersionStatus(name, Long.toString(number), version.state(), "")));
    failures.forEach(
        (number, reason) ->
            byVersion.putIfAbsent(
                number,
                new VersionStatus(name, Long.toString(number), ModelState.UNAVAILABLE, reason)));
    statuses.addAll(byVersion.values());
    if (statuses.isEmpty()) {
      statuses.add(new VersionStatus(name, "", ModelState.UNAVAILABLE, failure));
    }
    return statuses;
  }
}
