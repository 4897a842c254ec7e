package dev.infera.batch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.infera.batch.io.DuckDb;
import dev.infera.batch.io.FileFormat;
import dev.infera.batch.io.OutputColumn;
import dev.infera.batch.io.RowSink;
import dev.infera.batch.io.Sinks;
import dev.infera.batch.io.SourceRow;
import dev.infera.batch.mapping.OutputLayout;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The files of one partition while it is being written: the output rows and the rejected rows, both
 * under temporary names until {@link #commit} renames them. Written by the job thread; after {@link
 * #endRows} it may be committed (or closed) by a thread the job hands it to.
 */
final class PartitionWriter implements ScoredRows, AutoCloseable {
  static final String REJECTS_FOLDER = "_rejects";
  private static final JsonFactory JSON = new JsonFactory();

  private final int index;
  private final Path output;
  private final Path temporary;
  private final Path rejects;
  private final Path rejectsTemporary;
  private final RowSink sink;
  private final OutputDistribution distribution;
  private final long started = System.nanoTime();
  private JsonGenerator rejectWriter;
  private long rowsOut;
  private long rejected;
  private boolean closed;
  private boolean committed;

  PartitionWriter(
      int index, Path folder, FileFormat format, List<OutputColumn> columns, DuckDb duckDb) {
    this.index = index;
    this.output = folder.resolve(fileName(index, format));
    this.temporary = folder.resolve(output.getFileName() + ".tmp");
    this.rejects = folder.resolve(REJECTS_FOLDER).resolve(fileName(index, FileFormat.JSONL));
    this.rejectsTemporary = rejects.resolveSibling(rejects.getFileName() + ".tmp");
    this.sink = Sinks.create(format, temporary, columns, duckDb);
    this.distribution = new OutputDistribution(columns);
  }

  /** {@code part-00003.csv} */
  static String fileName(int index, FileFormat format) {
    return String.format(Locale.ROOT, "part-%05d.%s", index, format.extension());
  }

  int index() {
    return index;
  }

  @Override
  public void write(Object[] row) {
    sink.write(row);
    distribution.add(row);
    rowsOut++;
  }

  /** All-FP32 outputs go to the sink and the distribution as one float array, without boxing. */
  @Override
  public void writeBatch(OutputLayout layout, List<Object> ids, List<Tensor> outputs, int rows) {
    if (!layout.allFloat()) {
      ScoredRows.super.writeBatch(layout, ids, outputs, rows);
      return;
    }
    float[] values = layout.floats(outputs, rows);
    sink.writeFloats(ids, values, rows);
    distribution.addFloats(values, rows);
    rowsOut += rows;
  }

  @Override
  public void reject(SourceRow row, Object id, String reason) {
    try {
      if (rejectWriter == null) {
        Files.createDirectories(rejects.getParent());
        rejectWriter = JSON.createGenerator(rejectsTemporary.toFile(), JsonEncoding.UTF8);
        rejectWriter.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
      }
      rejectWriter.writeStartObject();
      rejectWriter.writeStringField("file", row.file());
      rejectWriter.writeNumberField("row", row.row());
      if (row.line() > 0) {
        rejectWriter.writeNumberField("line", row.line());
      }
      if (id != null) {
        rejectWriter.writeStringField("id", id.toString());
      }
      rejectWriter.writeStringField("reason", reason);
      rejectWriter.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reject file: " + e.getMessage(), e);
    }
    rejected++;
  }

  /** On the job thread, once the last row is written (before a commit on another thread). */
  void endRows() {
    sink.endRows();
  }

  /** Finishes both files and renames them to their final names; returns the partition's record. */
  Manifest.PartitionResult commit() {
    closeFiles();
    try {
      Commit.moveAtomically(temporary, output);
      if (rejectWriter != null) {
        Commit.moveAtomically(rejectsTemporary, rejects);
      } else {
        Files.deleteIfExists(rejects);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit partition " + index + ": " + e.getMessage(), e);
    }
    committed = true;
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Manifest.PartitionResult(
        rowsOut + rejected, rowsOut, rejected, seconds, distribution.serialize());
  }

  private void closeFiles() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      sink.close();
    } finally {
      // Closed even when the sink's last write failed (a full disk): no file handle stays open.
      if (rejectWriter != null) {
        try {
          rejectWriter.writeRaw('\n');
          rejectWriter.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the reject file: " + e.getMessage(), e);
        }
      }
    }
  }

  /**
   * Abandons an uncommitted partition: closes and deletes its temporary files, also after a commit
   * that failed half-way. Does nothing once committed.
   */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      closeFiles();
    } catch (RuntimeException e) {
      // the partition is abandoned; its temporary files go below
    }
    try {
      Files.deleteIfExists(temporary);
      Files.deleteIfExists(rejectsTemporary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
