package dev.infera.server.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.infera.core.routing.rollout.RoutingState;
import dev.infera.core.routing.rollout.RoutingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state directory's store: one JSON file, {@code traffic.json}, replaced atomically on every
 * save (written to a temporary file in the same folder, forced to disk, then renamed over the old
 * one), so a crash leaves the previous state or the new one, never a torn file.
 *
 * <p>Called by the traffic manager under its lock, one call at a time.
 */
public final class JsonFileStore implements RoutingStore {
  private static final Logger LOG = LoggerFactory.getLogger(JsonFileStore.class);
  static final String FILE = "traffic.json";

  private final Path directory;
  private final Path file;
  private final ObjectMapper mapper =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public JsonFileStore(Path directory) {
    try {
      this.directory = Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--state-dir " + directory + " cannot be created: " + e.getMessage(), e);
    }
    this.file = this.directory.resolve(FILE);
  }

  @Override
  public Optional<RoutingState> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      RoutingState state = mapper.readValue(file.toFile(), RoutingState.class);
      LOG.info("traffic state restored from {}", file);
      return Optional.of(state);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--state-dir: " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public void save(RoutingState state) {
    try {
      Path temporary = Files.createTempFile(directory, ".traffic-", ".json");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(
            java.nio.ByteBuffer.wrap(
                mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(state)));
        channel.force(true);
      }
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("traffic state cannot be written to " + file, e);
    }
  }
}
