package dev.infera.batch.io;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Rows of one CSV file with a header line, streamed by Jackson's CSV parser; values stay text. */
final class CsvSource implements RowSource {
  private static final CsvMapper MAPPER = new CsvMapper();

  private final Path file;
  private final String name;
  private final CsvParser parser;
  private final List<String> columns;
  private final List<String> values = new ArrayList<>();
  private long row;
  private long line;
  private boolean started;

  CsvSource(Path file) {
    this.file = file;
    this.name = file.getFileName().toString();
    try {
      this.parser = (CsvParser) MAPPER.createParser(file.toFile());
      parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
      parser.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
      this.columns = readRecord() ? List.copyOf(values) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("CSV file '" + name + "' has no header line");
    }
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public SourceRow next() {
    try {
      if (!readRecord()) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
    }
    row++;
    return SourceRow.of(name, row, line, values.toArray());
  }

  /**
   * Reads the next record into {@link #values}; false at the end of the file. With {@code
   * WRAP_AS_ARRAY} the parser gives the file as an array of records, each an array of strings.
   */
  private boolean readRecord() throws IOException {
    JsonToken token = parser.nextToken();
    while (token == JsonToken.END_ARRAY) { // the end of the file's outer array
      token = parser.nextToken();
    }
    if (token == null) {
      return false;
    }
    if (token == JsonToken.START_ARRAY && !started) { // the outer array
      started = true;
      token = parser.nextToken();
      if (token == JsonToken.END_ARRAY || token == null) {
        return false;
      }
    }
    values.clear();
    line = -1;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      if (line < 0) {
        line = parser.currentTokenLocation().getLineNr();
      }
      values.add(parser.getText());
    }
    if (line < 0) {
      line = parser.currentTokenLocation().getLineNr();
    }
    return true;
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
