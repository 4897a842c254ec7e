package dev.infera.core.lifecycle;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.RequestOptions;
import dev.infera.core.ServerMetadata;
import dev.infera.core.engine.ServingEngine;
import dev.infera.core.repository.LocalModelRepository;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.Router;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A repository folder of {@link FakeBackend} models with a manager and engine over it, for the
 * lifecycle tests. File writes move a finished file into place, as a deployment should, and give
 * each write a distinct modification time.
 */
final class RepoFixture implements AutoCloseable {
  static final String ADD_CONFIG =
      """
      backend: "fake"
      max_batch_size: 4
      input [ { name: "x", data_type: TYPE_INT32, dims: [ 2 ] } ]
      output [ { name: "y", data_type: TYPE_INT32, dims: [ 2 ] } ]
      """;

  final Path repo;
  final FakeBackend backend = new FakeBackend();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  ModelManager manager;
  ServingEngine engine;
  private long writes;

  RepoFixture(Path repo) {
    this.repo = repo;
  }

  /** A model folder with a configuration (none when null) and versions holding "add". */
  RepoFixture model(String name, String config, long... versions) {
    write(name + "/config.pbtxt", config);
    for (long version : versions) {
      version(name, version, "add");
    }
    return this;
  }

  RepoFixture version(String name, long version, String content) {
    write(name + "/" + version + "/model.fake", content);
    return this;
  }

  /** Writes a file (or deletes it when content is null) by moving a finished file into place. */
  void write(String relative, String content) {
    try {
      Path target = repo.resolve(relative);
      if (content == null) {
        Files.deleteIfExists(target);
        return;
      }
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(repo, ".write", ".tmp");
      Files.writeString(temp, content);
      Files.setLastModifiedTime(temp, FileTime.from(Instant.ofEpochSecond(1_000_000 + ++writes)));
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void deleteTree(String relative) {
    try (var walk = Files.walk(repo.resolve(relative))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ModelManager manager(ManagerOptions options) {
    manager =
        new ModelManager(
            new LocalModelRepository(repo),
            new BackendRegistry(List.of(backend)),
            new BatchingSchedulerFactory(Ticker.system()),
            meters,
            options);
    engine =
        new ServingEngine(
            Router.highestReady(manager::routingTable),
            manager::allReady,
            new ServerMetadata("infera", "test", List.of()),
            System::nanoTime);
    engine.startServing();
    return manager;
  }

  ModelManager manager() {
    return manager(ManagerOptions.defaults());
  }

  /** A lease on the version a request naming no version goes to now. */
  RoutedVersion acquire(String model) {
    return Router.highestReady(manager::routingTable)
        .acquire(model, Optional.empty(), Optional.empty())
        .version();
  }

  /** The version a request naming {@code version} (or none) goes to now. */
  RoutedVersion route(String model, Optional<String> version) {
    return Router.highestReady(manager::routingTable)
        .route(model, version, Optional.empty())
        .version();
  }

  static Tensor x(int a, int b) {
    ByteBuffer data =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).flip();
    return Tensor.of("x", DataType.INT32, new long[] {1, 2}, data);
  }

  InferenceResponse infer(String model, Optional<String> version) {
    InferenceRequest request =
        new InferenceRequest(
            model,
            version,
            Optional.empty(),
            List.of(x(10, 20)),
            List.of(),
            RequestOptions.DEFAULT);
    try {
      return engine.infer(request).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  /** What the served model adds to x: y[0] - 10. */
  int addend(String model) {
    return infer(model, Optional.empty()).outputs().get(0).data().getInt(0) - 10;
  }

  double counter(String name, String model, String version) {
    var counter = meters.find(name).tag("model", model).tag("version", version).counter();
    return counter == null ? 0 : counter.count();
  }

  long timerCount(String name, String model, String version) {
    var timer = meters.find(name).tag("model", model).tag("version", version).timer();
    return timer == null ? 0 : timer.count();
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
  }
}
