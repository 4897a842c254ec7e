package dev.infera.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The output formats; each renders ordered rows of named columns. */
public enum ReportFormat {
  TABLE,
  JSON,
  CSV;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Renders rows whose maps all have the same keys in the same order. */
  public String render(List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return this == JSON ? "[]\n" : "";
    }
    return switch (this) {
      case JSON -> json(rows);
      case CSV -> csv(rows);
      case TABLE -> table(rows);
    };
  }

  private static String json(List<Map<String, Object>> rows) {
    try {
      return MAPPER.writeValueAsString(rows) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String csv(List<Map<String, Object>> rows) {
    StringBuilder out = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
    for (Map<String, Object> row : rows) {
      List<String> cells = new ArrayList<>();
      for (Object value : row.values()) {
        String text = plain(value);
        cells.add(text.contains(",") || text.contains("\"") ? quote(text) : text);
      }
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  private static String table(List<Map<String, Object>> rows) {
    List<String> columns = new ArrayList<>(rows.get(0).keySet());
    int[] widths = columns.stream().mapToInt(String::length).toArray();
    List<List<String>> cells = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      List<String> line = new ArrayList<>();
      int i = 0;
      for (Object value : row.values()) {
        String text = readable(value);
        widths[i] = Math.max(widths[i], text.length());
        line.add(text);
        i++;
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, columns, widths);
    for (List<String> line : cells) {
      appendLine(out, line, widths);
    }
    return out.toString();
  }

  private static void appendLine(StringBuilder out, List<String> cells, int[] widths) {
    for (int i = 0; i < cells.size(); i++) {
      out.append(i == 0 ? "" : "  ").append(" ".repeat(widths[i] - cells.get(i).length()));
      out.append(cells.get(i));
    }
    out.append('\n');
  }

  private static String quote(String text) {
    return '"' + text.replace("\"", "\"\"") + '"';
  }

  private static String plain(Object value) {
    if (value instanceof Double number) {
      return number.isNaN() ? "" : String.format(Locale.ROOT, "%.6g", number);
    }
    return value instanceof Map<?, ?> map ? mapText(map) : String.valueOf(value);
  }

  private static String readable(Object value) {
    if (value instanceof Double number) {
      if (number.isNaN()) {
        return "-";
      }
      double magnitude = Math.abs(number);
      return String.format(
          Locale.ROOT, magnitude >= 100 ? "%.0f" : magnitude >= 1 ? "%.2f" : "%.3f", number);
    }
    return value instanceof Map<?, ?> map ? mapText(map) : String.valueOf(value);
  }

  private static String mapText(Map<?, ?> map) {
    if (map.isEmpty()) {
      return "0";
    }
    List<String> parts = new ArrayList<>();
    map.forEach((key, count) -> parts.add(key + "=" + count));
    return String.join(";", parts);
  }

  /** The command-line name. */
  public static ReportFormat fromCliName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format '" + name + "' (expected table, json or csv)");
    }
  }
}
