package dev.infera.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The record of a job in its output folder ({@value #FILE}): what the job is, and which partitions
 * are committed. Rewritten atomically (write, then rename) after each partition commits, so that
 * after a crash it names exactly the partitions whose files are complete.
 *
 * @param job what identifies the job: a resumed job must match it
 * @param partitions the committed partitions by index
 */
record Manifest(JobIdentity job, Map<Integer, PartitionResult> partitions) {
  static final String FILE = "_manifest.json";

  Manifest {
    partitions = new TreeMap<>(partitions);
  }

  /**
   * @param model the model
   * @param version the version that scored the first partition
   * @param inputs the inputs' fingerprints (path, size, modification time)
   * @param format the output format
   * @param partitionRows rows per partition
   * @param columns the output columns
   */
  record JobIdentity(
      String model,
      String version,
      List<String> inputs,
      String format,
      long partitionRows,
      List<String> columns) {

    /** What differs between the job recorded ({@code this}) and {@code run}, in words. */
    List<String> differences(JobIdentity run) {
      List<String> found = new ArrayList<>();
      differs(found, "model", model, run.model);
      differs(found, "version", version, run.version);
      if (!inputs.equals(run.inputs)) {
        found.add(
            "input files "
                + files(inputs)
                + " there, "
                + files(run.inputs)
                + " now (or their size or modification time changed)");
      }
      differs(found, "format", format, run.format);
      differs(found, "rows per partition", partitionRows, run.partitionRows);
      differs(found, "output columns", columns, run.columns);
      return found;
    }

    private static void differs(List<String> found, String what, Object there, Object now) {
      if (!Objects.equals(there, now)) {
        found.add(what + " " + there + " there, " + now + " now");
      }
    }

    /** The file names of input fingerprints ("path size modified"). */
    private static List<String> files(List<String> prints) {
      return prints.stream()
          .map(print -> print.replaceFirst(" \\d+ -?\\d+$", ""))
          .map(path -> path.substring(path.lastIndexOf('/') + 1))
          .toList();
    }
  }

  /** Why a folder cannot be prepared, in words (the exception's message is often just a path). */
  private static String reason(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return "it is a file, not a folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * Creates a job's output folder (its temporary files from a run that stopped deleted) with a new
   * manifest, or, when resuming, checks that the job the folder holds is this one.
   */
  static Manifest prepare(Path folder, JobIdentity identity, boolean resume) {
    try {
      Files.createDirectories(folder);
      deleteTemporaries(folder);
      deleteTemporaries(folder.resolve(PartitionWriter.REJECTS_FOLDER));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the output folder '" + folder + "': " + reason(e), e);
    }
    Optional<Manifest> existing = read(folder);
    if (existing.isEmpty()) {
      Manifest fresh = new Manifest(identity, Map.of());
      fresh.write(folder);
      return fresh;
    }
    if (!resume) {
      throw new IllegalArgumentException(
          "the output folder '"
              + folder
              + "' holds a job already ("
              + FILE
              + "); pass --resume to finish it, or choose another folder");
    }
    if (!existing.get().job().equals(identity)) {
      throw new IllegalArgumentException(
          "--resume: the job in '"
              + folder
              + "' differs from this one: "
              + String.join("; ", existing.get().job().differences(identity))
              + " (resume with the same options and inputs, or choose another folder)");
    }
    return existing.get();
  }

  private static void deleteTemporaries(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * One committed partition.
   *
   * @param rowsIn rows read
   * @param rowsOut rows written
   * @param rejected rows rejected
   * @param seconds the time it took
   * @param distribution its output sketches (see {@link OutputDistribution#serialize})
   */
  record PartitionResult(
      long rowsIn,
      long rowsOut,
      long rejected,
      double seconds,
      Map<String, List<Object>> distribution) {}

  static Optional<Manifest> read(Path folder) {
    Path file = folder.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JobFilesJson.MAPPER.readValue(file.toFile(), Manifest.class));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the job manifest '" + file + "': " + e.getMessage(), e);
    }
  }

  /** Writes the manifest beside a temporary name, then renames it over the old one. */
  void write(Path folder) {
    Path target = folder.resolve(FILE);
    Path temporary = folder.resolve(FILE + ".tmp");
    try {
      JobFilesJson.MAPPER.writeValue(temporary.toFile(), this);
      Commit.moveAtomically(temporary, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + target + "': " + e.getMessage(), e);
    }
  }

  Manifest with(int partition, PartitionResult result) {
    Map<Integer, PartitionResult> more = new TreeMap<>(partitions);
    more.put(partition, result);
    return new Manifest(job, more);
  }
}
