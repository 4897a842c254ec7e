package dev.infera.backend.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Python files the jar ships ({@code infera_python_worker.py} and {@code
 * triton_python_backend_utils.py}), written to a private temporary folder the workers run from.
 * Created on first use, deleted by {@link #close}.
 *
 * <p>Threading: {@link #directory} is synchronized; it may be called by concurrent loads.
 */
final class RuntimeFiles implements AutoCloseable {
  static final String WORKER = "infera_python_worker.py";
  private static final String UTILS = "triton_python_backend_utils.py";
  private static final String RESOURCES = "/dev/infera/backend/python/runtime/";

  private Path directory;

  synchronized Path directory() {
    if (directory == null) {
      try {
        Path created = Files.createTempDirectory("infera-python-");
        for (String name : List.of(WORKER, UTILS)) {
          try (InputStream in = RuntimeFiles.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
              throw new IllegalStateException("the jar lacks " + RESOURCES + name);
            }
            Files.copy(in, created.resolve(name), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        directory = created;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return directory;
  }

  @Override
  public synchronized void close() {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    directory = null;
  }
}
