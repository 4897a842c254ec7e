package dev.infera.server.observability;

import dev.infera.core.monitoring.ReferenceProfile;
import dev.infera.core.monitoring.ReferenceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reference profiles stored in the model repository, beside each version's model file: {@code
 * <repository>/<model>/<version>/infera-profile.json} (written by {@code infera profile build}).
 */
public final class ProfileFiles implements ReferenceSource {
  private final Path repository;

  public ProfileFiles(Path repository) {
    this.repository = repository;
  }

  /** Where a version's profile lives. */
  public Path path(String model, String version) {
    return repository.resolve(model).resolve(version).resolve(ReferenceProfile.FILE_NAME);
  }

  @Override
  public Optional<String> find(String model, String version) {
    Path file = path(model, version);
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // The message names no server path: it reaches the drift report.
      throw new UncheckedIOException("cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
