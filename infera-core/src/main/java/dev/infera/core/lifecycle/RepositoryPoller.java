package dev.infera.core.lifecycle;

import dev.infera.core.repository.ModelRepository;
import dev.infera.core.repository.ModelSource;
import dev.infera.core.repository.RepositoryUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POLL mode's scan: compares each model folder with what it held at the previous scan (the text of
 * config.pbtxt, the set of version folders, and each version folder's and the warmup folder's file
 * sizes and modification times) and applies what changed: a new or changed model is loaded (the
 * manager reloads only its changed versions, beside the serving ones), a model whose folder is gone
 * is unloaded and forgotten. While the repository cannot be listed at all (its folder is gone), a
 * scan changes nothing: the loaded models keep serving, one warning says why, and one line says
 * when the repository is back.
 *
 * <p>Threading: confined to the controller's thread.
 */
final class RepositoryPoller {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryPoller.class);

  private record ModelFingerprint(
      Optional<String> config,
      Optional<String> configProblem,
      Map<Long, VersionFingerprint> versions,
      VersionFingerprint warmup) {}

  private final ModelManager manager;
  private final ModelRepository repository;
  private final Map<String, ModelFingerprint> seen = new HashMap<>();
  private String unavailable; // why the last scan could not list the repository; null when it could

  RepositoryPoller(ModelManager manager) {
    this.manager = manager;
    this.repository = manager.repository();
  }

  /** Scans the repository once and applies the changes; returns the names it loaded or unloaded. */
  Set<String> poll() {
    Set<String> changed = new HashSet<>();
    List<String> names;
    try {
      names = repository.modelNames();
    } catch (RepositoryUnavailableException e) {
      if (!e.getMessage().equals(unavailable)) {
        LOG.warn("{}; keeping the loaded models until it is back", e.getMessage());
        unavailable = e.getMessage();
      }
      return changed;
    }
    if (unavailable != null) {
      LOG.info("model repository {} is back; polling resumes", repository.location());
      unavailable = null;
    }
    for (String name : names) {
      Optional<ModelFingerprint> now = repository.find(name).map(RepositoryPoller::fingerprint);
      if (now.isPresent() && !now.get().equals(seen.get(name))) {
        boolean known = seen.containsKey(name);
        seen.put(name, now.get());
        LOG.info("repository poll: model '{}' {}", name, known ? "changed" : "added");
        manager.load(name);
        changed.add(name);
      }
    }
    for (String name : Set.copyOf(seen.keySet())) {
      if (!names.contains(name)) {
        seen.remove(name);
        LOG.info("repository poll: model '{}' removed", name);
        manager.forget(name);
        changed.add(name);
      }
    }
    return changed;
  }

  private static ModelFingerprint fingerprint(ModelSource source) {
    Map<Long, VersionFingerprint> versions = new TreeMap<>();
    for (Map.Entry<Long, Path> entry : source.versions().entrySet()) {
      versions.put(entry.getKey(), VersionFingerprint.of(entry.getValue()));
    }
    return new ModelFingerprint(
        source.configText(),
        source.configProblem(),
        versions,
        // A model folder that cannot be read has no warm-up folder to stamp: walking it would fail
        // and stamp a change at every poll.
        Files.isDirectory(source.directory())
            ? VersionFingerprint.of(source.directory().resolve(ModelSource.WARMUP_FOLDER))
            : new VersionFingerprint(source.directory().toString(), List.of()));
  }
}
