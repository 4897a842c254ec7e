package dev.infera.batch.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a job reads, in the order it reads them: files as given, a folder's table files sorted
 * by name. All files have one format.
 *
 * @param format their format
 * @param files the files
 */
public record InputFiles(FileFormat format, List<Path> files) {
  public InputFiles {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files");
    }
  }

  /**
   * Resolves {@code --input} values: each a file or a folder (its files with a table extension).
   *
   * @throws IllegalArgumentException naming the path that is missing, empty or of another format
   */
  public static InputFiles resolve(List<Path> paths) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        List<Path> inFolder = listFolder(path);
        if (inFolder.isEmpty()) {
          throw new IllegalArgumentException(
              "input folder '" + path + "' holds no .csv, .jsonl or .parquet files");
        }
        files.addAll(inFolder);
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        throw new IllegalArgumentException("input '" + path + "' does not exist");
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input given (expected --input FILE or FOLDER)");
    }
    FileFormat format = null;
    for (Path file : files) {
      FileFormat own =
          FileFormat.ofPath(file)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "input '"
                              + file.getFileName()
                              + "' has no known extension (expected .csv, .jsonl or .parquet)"));
      if (format != null && own != format) {
        throw new IllegalArgumentException(
            "inputs mix formats: " + format + " and " + own + " ('" + file.getFileName() + "')");
      }
      format = own;
    }
    return new InputFiles(format, files);
  }

  private static List<Path> listFolder(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(file -> FileFormat.ofPath(file).isPresent())
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input folder '" + folder + "'", e);
    }
  }

  /** What identifies the input for a resumed job: each file's path, size and modification time. */
  public List<String> fingerprint() {
    List<String> prints = new ArrayList<>();
    for (Path file : files) {
      try {
        prints.add(
            file.toAbsolutePath().normalize()
                + " "
                + Files.size(file)
                + " "
                + Files.getLastModifiedTime(file).toMillis());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read input '" + file + "'", e);
      }
    }
    return prints;
  }
}
