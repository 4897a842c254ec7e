package dev.infera.batch.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of one JSON Lines file: one object per line, read token by token; the columns are the first
 * object's keys. Numbers stay as their text, so that each is rounded once, to the input's own type.
 */
final class JsonLinesSource implements RowSource {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Path file;
  private final String name;
  private final BufferedReader reader;
  private final List<String> columns;
  private final Map<String, Integer> columnIndex = new HashMap<>();
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
    for (int i = 0; i < columns.size(); i++) {
      columnIndex.put(columns.get(i), i);
    }
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
    try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return SourceRow.unreadable(name, row, at, "not a JSON object");
      }
      Object[] values = new Object[columns.size()];
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        Integer column = columnIndex.get(parser.currentName());
        parser.nextToken();
        if (column == null) {
          parser.skipChildren();
        } else {
          values[column] = value(parser); // a repeated key: the last value, as a tree keeps
        }
      }
      return SourceRow.of(name, row, at, values);
    } catch (JsonProcessingException e) {
      return SourceRow.unreadable(name, row, at, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * The value at the parser's current token as a row value: a number as its text (no BigDecimal or
   * double on the way: the text is parsed once, to the input's own type), an array as a list, a
   * nested object as its JSON, null as null.
   */
  private static Object value(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING -> parser.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case START_ARRAY -> {
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(parser));
        }
        yield items;
      }
      default -> MAPPER.readTree(parser).toString(); // an object (or an embedded value)
    };
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
