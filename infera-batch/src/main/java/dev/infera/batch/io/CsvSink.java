package dev.infera.batch.io;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * CSV with a header line. Floating-point values are written as Java's shortest decimal that reads
 * back to the same value, so a CSV output holds the model's outputs bit for bit.
 */
final class CsvSink implements RowSink {
  private static final CsvMapper MAPPER = new CsvMapper();

  private final SequenceWriter writer;

  CsvSink(Path file, List<OutputColumn> columns) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    for (OutputColumn column : columns) {
      schema.addColumn(column.name());
    }
    try {
      this.writer =
          MAPPER.writerFor(Object[].class).with(schema.build()).writeValues(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + file + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void write(Object[] row) {
    try {
      writer.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write CSV output: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write CSV output: " + e.getMessage(), e);
    }
  }
}
