package dev.infera.core.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a version folder held when it was looked at: the folder itself and every regular file below
 * it with its size and modification time. Two fingerprints differ when a file was added, removed,
 * resized or rewritten, or when the version is served from another folder (a repository that
 * mirrors a rewritten version into a new folder, as the S3 repository does, whose copies keep the
 * store's one-second modification times). Reads metadata only, never file content, so polling a
 * repository of large models stays cheap; a rewrite that keeps both size and modification time (to
 * the file system's resolution) goes unnoticed.
 *
 * @param folder the version folder, absolute and normalized
 * @param files the files, sorted by relative path
 */
record VersionFingerprint(String folder, List<FileStamp> files) {

  /**
   * One file.
   *
   * @param path the path relative to the version folder, with {@code /} separators
   * @param bytes the size
   * @param modifiedNanos the modification time, in nanoseconds since the epoch
   */
  record FileStamp(String path, long bytes, long modifiedNanos) {}

  VersionFingerprint {
    files = List.copyOf(files);
  }

  /** The fingerprint of a folder; empty when it does not exist (any more). */
  static VersionFingerprint of(Path directory) {
    String folder = directory.toAbsolutePath().normalize().toString();
    List<FileStamp> stamps = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        stamp(directory, file, stamps);
      }
    } catch (NoSuchFileException e) {
      return new VersionFingerprint(folder, List.of());
    } catch (IOException | UncheckedIOException e) {
      // A folder changing while it is walked: a fingerprint that differs from any stable one.
      stamps.add(new FileStamp("?", -1, System.nanoTime()));
    }
    stamps.sort(Comparator.comparing(FileStamp::path));
    return new VersionFingerprint(folder, stamps);
  }

  private static void stamp(Path root, Path file, List<FileStamp> stamps) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return;
    }
    if (attributes.isRegularFile()) {
      stamps.add(
          new FileStamp(
              root.relativize(file).toString().replace('\\', '/'),
              attributes.size(),
              attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
    }
  }
}
