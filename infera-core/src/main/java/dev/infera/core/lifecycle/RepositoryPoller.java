package dev.infera.core.lifecycle;

import dev.infera.core.repository.ModelRepository;
import dev.infera.core.repository.ModelSource;
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
 * is unloaded and forgotten.
 *
 * <p>Threading: confined to the controller's thread.
 */
final class RepositoryPoller {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryPoller.class);

  private record ModelFingerprint(
      Optional<String> config, Map<Long, VersionFingerprint> versions, VersionFingerprint warmup) {}

  private final ModelManager manager;
  private final ModelRepository repository;
  private final Map<String, ModelFingerprint> seen = new HashMap<>();

  RepositoryPoller(ModelManager manager) {
    this.manager = manager;
    this.repository = manager.repository();
  }

  /** Scans the repository once and applies the changes; returns the names it loaded or unloaded. */
  Set<String> poll() {
    Set<String> changed = new HashSet<>();
    List<String> names = repository.modelNames();
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
        versions,
        VersionFingerprint.of(source.directory().resolve(WarmupSamples.WARMUP_FOLDER)));
  }
}
