package dev.infera.repository.s3;

import dev.infera.core.repository.ModelNames;
import dev.infera.core.repository.ModelSource;
import dev.infera.core.repository.VersionNames;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bucket listing sorted into Triton's layout: under the prefix, {@code <model>/config.pbtxt} and
 * {@code <model>/warmup/**} are the model's own files, {@code <model>/<number>/**} a version's (a
 * number as {@link VersionNames} reads it, as in a local repository). Other objects, folder markers
 * (keys ending in {@code /}) and keys with empty, {@code .} or {@code ..} segments are ignored, so
 * nothing lands outside the cache.
 *
 * @param models each model's listing, by name
 */
record RepositoryListing(SortedMap<String, ModelListing> models) {
  static final String CONFIG_FILE = "config.pbtxt";

  /**
   * One model's objects.
   *
   * @param own {@code config.pbtxt} and {@code warmup/**}
   * @param versions each numbered version folder's objects, ascending
   */
  record ModelListing(FolderListing own, SortedMap<Long, FolderListing> versions) {
    ModelListing {
      versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    }
  }

  RepositoryListing {
    models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
  }

  static RepositoryListing of(String prefix, List<ObjectStamp> objects) {
    Map<String, SortedMap<String, ObjectStamp>> own = new TreeMap<>();
    Map<String, SortedMap<Long, SortedMap<String, ObjectStamp>>> versions = new TreeMap<>();
    for (ObjectStamp object : objects) {
      if (!object.key().startsWith(prefix) || object.key().endsWith("/")) {
        continue;
      }
      String[] segments = object.key().substring(prefix.length()).split("/", -1);
      if (segments.length < 2 || !safe(segments) || !ModelNames.isValid(segments[0])) {
        continue;
      }
      String model = segments[0];
      String rest = String.join("/", List.of(segments).subList(1, segments.length));
      if (segments.length == 2 && segments[1].equals(CONFIG_FILE)
          || segments.length > 2 && segments[1].equals(ModelSource.WARMUP_FOLDER)) {
        own.computeIfAbsent(model, name -> new TreeMap<>()).put(rest, object);
      } else if (segments.length > 2 && VersionNames.parse(segments[1]).isPresent()) {
        String inVersion = String.join("/", List.of(segments).subList(2, segments.length));
        versions
            .computeIfAbsent(model, name -> new TreeMap<>())
            .computeIfAbsent(Long.parseLong(segments[1]), number -> new TreeMap<>())
            .put(inVersion, object);
      }
    }
    SortedMap<String, ModelListing> models = new TreeMap<>();
    for (String model : versions.keySet()) {
      SortedMap<Long, FolderListing> folders = new TreeMap<>();
      versions.get(model).forEach((number, files) -> folders.put(number, new FolderListing(files)));
      models.put(
          model,
          new ModelListing(new FolderListing(own.getOrDefault(model, new TreeMap<>())), folders));
    }
    return new RepositoryListing(models);
  }

  private static boolean safe(String[] segments) {
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
