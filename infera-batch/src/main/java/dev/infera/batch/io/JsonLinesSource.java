package dev.infera.batch.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Rows of one JSON Lines file: one object per line; the columns are the first object's keys.
 * Numbers stay as their text, so that each is rounded once, to the input's own type.
 */
final class JsonLinesSource implements RowSource {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Path file;
  private final String name;
  private final BufferedReader reader;
  private final List<String> columns;
  private String pending;
  private long line;
  private long row;

  JsonLinesSource(Path file) {
    this.file = file;
    this.name = file.getFileName().toString();
    try {
      this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      this.pending = nextLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
    }
    this.columns = firstKeys();
  }

  private List<String> firstKeys() {
    if (pending == null) {
      throw new IllegalArgumentException("JSON Lines file '" + name + "' has no rows");
    }
    try {
      JsonNode first = MAPPER.readTree(pending);
      if (first != null && first.isObject()) {
        List<String> keys = new ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        return List.copyOf(keys);
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "JSON Lines file '" + name + "': line " + line + " is not a JSON object");
  }

  /** The next non-blank line, counting lines; null at the end. */
  private String nextLine() throws IOException {
    String text;
    while ((text = reader.readLine()) != null) {
      line++;
      if (!text.isBlank()) {
        return text;
      }
    }
    return null;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public SourceRow next() {
    String text;
    long at;
    try {
      if (pending != null) {
        text = pending;
        pending = null;
        at = line;
      } else {
        text = nextLine();
        at = line;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
    }
    if (text == null) {
      return null;
    }
    row++;
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return SourceRow.unreadable(name, row, at, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return SourceRow.unreadable(name, row, at, "not a JSON object");
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(node.get(columns.get(i)));
    }
    return SourceRow.of(name, row, at, values);
  }

  /** A JSON value as a row value: numbers as their text, arrays as lists, null as null. */
  static Object value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isNumber()) {
      return node.isBigDecimal() ? node.decimalValue().toString() : node.asText();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>(node.size());
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        items.add(value(it.next()));
      }
      return items;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    return node.toString();
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
