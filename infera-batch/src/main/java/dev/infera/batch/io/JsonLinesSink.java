package dev.infera.batch.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** JSON Lines: one object per row, keys in column order. */
final class JsonLinesSink implements RowSink {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final List<OutputColumn> columns;
  private final JsonGenerator generator;

  JsonLinesSink(Path file, List<OutputColumn> columns) {
    this.columns = List.copyOf(columns);
    try {
      this.generator = FACTORY.createGenerator(file.toFile(), JsonEncoding.UTF8);
      generator.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + file + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void write(Object[] row) {
    try {
      generator.writeStartObject();
      for (int i = 0; i < row.length; i++) {
        generator.writeFieldName(columns.get(i).name());
        writeValue(row[i]);
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON Lines output: " + e.getMessage(), e);
    }
  }

  private void writeValue(Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Float f) {
      generator.writeNumber(f);
    } else if (value instanceof Double d) {
      generator.writeNumber(d);
    } else if (value instanceof Long l) {
      generator.writeNumber(l);
    } else if (value instanceof Boolean b) {
      generator.writeBoolean(b);
    } else {
      generator.writeString(value.toString());
    }
  }

  @Override
  public void close() {
    try {
      generator.writeRaw('\n');
      generator.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON Lines output: " + e.getMessage(), e);
    }
  }
}
