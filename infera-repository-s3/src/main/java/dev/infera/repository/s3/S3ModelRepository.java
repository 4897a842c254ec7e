package dev.infera.repository.s3;

import dev.infera.core.repository.ModelRepository;
import dev.infera.core.repository.ModelSource;
import dev.infera.repository.s3.RepositoryListing.ModelListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A model repository in an S3-compatible bucket. Each call to {@link #modelNames()} lists the
 * bucket (a poll in POLL mode) and mirrors into the local cache every folder whose listing has
 * settled ({@link SettleRule}); {@link #find} answers from the mirrors, so the lifecycle sees local
 * folders exactly as with {@code LocalModelRepository}. A version still being uploaded, or
 * rewritten in place, keeps its previous mirror (or none) until its listing settles, so it never
 * loads half written and the previous one keeps serving. A failed listing throws and changes
 * nothing: the poller retries and no model is unloaded for a network error.
 *
 * <p>Threading: every method holds the instance's lock; the controller's thread calls it.
 */
public final class S3ModelRepository implements ModelRepository, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3ModelRepository.class);

  /** What {@link #find} serves for one model: its mirrored folders. */
  private record Mirrored(Path own, SortedMap<Long, Path> versions) {}

  private final S3Location location;
  private final S3Client client;
  private final Path cache;
  private final SettleRule settle;
  private final ObjectMirror mirror;
  private Map<String, Mirrored> serving = Map.of();

  /**
   * A repository over {@code client} (which it closes), mirroring into {@code cache}.
   *
   * @param settle decides when a listed folder is complete
   */
  S3ModelRepository(S3Location location, S3Client client, Path cache, SettleRule settle) {
    this.location = location;
    this.client = client;
    this.cache = cache.toAbsolutePath().normalize();
    this.settle = settle;
    this.mirror = new ObjectMirror(client, location.bucket(), this.cache);
  }

  @Override
  public synchronized List<String> modelNames() {
    refresh();
    return List.copyOf(new TreeMap<>(serving).keySet());
  }

  @Override
  public synchronized Optional<ModelSource> find(String modelName) {
    Mirrored model = serving.get(modelName);
    if (model == null) {
      return Optional.empty();
    }
    Path config = model.own().resolve(RepositoryListing.CONFIG_FILE);
    try {
      if (!Files.isRegularFile(config)) {
        return Optional.of(
            new ModelSource(modelName, model.own(), Optional.empty(), model.versions()));
      }
      return Optional.of(
          ModelSource.withConfigFile(
              modelName, model.own(), Files.readAllBytes(config), model.versions()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mirrored " + config, e);
    }
  }

  @Override
  public String location() {
    return location + " (cache " + cache + ")";
  }

  /** Lists the bucket and mirrors every settled folder; what has not settled keeps its mirror. */
  synchronized void refresh() {
    RepositoryListing listing = RepositoryListing.of(location.prefix(), list());
    Map<String, Mirrored> next = new HashMap<>();
    Set<String> listed = new HashSet<>();
    for (Map.Entry<String, ModelListing> model : listing.models().entrySet()) {
      String name = model.getKey();
      Mirrored before = serving.get(name);
      listed.add(name + "/");
      Optional<Path> own =
          mirrorIfSettled(name, name + "/", "model", model.getValue().own())
              .or(() -> Optional.ofNullable(before).map(Mirrored::own));
      SortedMap<Long, Path> versions = new TreeMap<>();
      for (Map.Entry<Long, FolderListing> version : model.getValue().versions().entrySet()) {
        String id = name + "/" + version.getKey();
        listed.add(id);
        mirrorIfSettled(name, id, "v" + version.getKey(), version.getValue())
            .or(() -> Optional.ofNullable(before).map(m -> m.versions().get(version.getKey())))
            .ifPresent(path -> versions.put(version.getKey(), path));
      }
      if (own.isPresent() && !versions.isEmpty()) {
        next.put(name, new Mirrored(own.get(), versions));
      }
    }
    settle.retain(listed);
    Map<String, Mirrored> previous = serving;
    serving = Map.copyOf(next);
    collectGarbage(previous);
  }

  private Optional<Path> mirrorIfSettled(
      String model, String id, String name, FolderListing listing) {
    if (!settle.settled(id, listing)) {
      return Optional.empty();
    }
    try {
      return Optional.of(mirror.mirror(model, name, listing));
    } catch (ObjectMirror.ChangedWhileMirroring e) {
      LOG.info(
          "{}{}: changed while mirrored ({}); retrying at the next poll",
          location,
          id,
          e.getMessage());
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        LOG.info("{}{}: changed while mirrored; retrying at the next poll", location, id);
        return Optional.empty();
      }
      throw S3Errors.describe(location, "download " + id, e);
    } catch (SdkException e) {
      throw S3Errors.describe(location, "download " + id, e);
    }
  }

  private List<ObjectStamp> list() {
    ListObjectsV2Request request =
        ListObjectsV2Request.builder().bucket(location.bucket()).prefix(location.prefix()).build();
    List<ObjectStamp> objects = new ArrayList<>();
    try {
      for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
        objects.add(
            new ObjectStamp(object.key(), object.size(), object.eTag(), object.lastModified()));
      }
    } catch (SdkException e) {
      throw S3Errors.describe(location, "list", e);
    }
    return objects;
  }

  /** Deletes the mirrors neither the previous nor the current listing serves. */
  private void collectGarbage(Map<String, Mirrored> previous) {
    Set<Path> kept = new HashSet<>();
    for (Map<String, Mirrored> state : List.of(previous, serving)) {
      for (Mirrored model : state.values()) {
        kept.add(model.own());
        kept.addAll(model.versions().values());
      }
    }
    try (Stream<Path> models = Files.isDirectory(cache) ? Files.list(cache) : Stream.empty()) {
      for (Path model : (Iterable<Path>) models::iterator) {
        if (model.getFileName().toString().startsWith(".") || !Files.isDirectory(model)) {
          continue;
        }
        try (Stream<Path> mirrors = Files.list(model)) {
          for (Path folder : (Iterable<Path>) mirrors::iterator) {
            if (!kept.contains(folder)) {
              ObjectMirror.deleteTree(folder);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot clean the model cache {}: {}", cache, e.toString());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
