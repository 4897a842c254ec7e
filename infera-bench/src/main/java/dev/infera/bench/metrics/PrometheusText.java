package dev.infera.bench.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Prometheus text exposition format (version 0.0.4) into samples: {@code name{label=
 * "value",...} value [timestamp]}. Comments ({@code # HELP}, {@code # TYPE}) and blank lines are
 * skipped; label values may hold the escapes {@code \\}, {@code \"} and {@code \n}.
 */
public final class PrometheusText {

  private PrometheusText() {}

  /**
   * @throws IllegalArgumentException naming the line number and text of a malformed line
   */
  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        samples.add(parseLine(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "metrics line " + (i + 1) + " '" + line + "': " + e.getMessage());
      }
    }
    return samples;
  }

  private static Sample parseLine(String line) {
    int nameEnd = 0;
    while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
      nameEnd++;
    }
    String name = line.substring(0, nameEnd);
    Map<String, String> labels = new HashMap<>();
    int pos = nameEnd;
    if (pos < line.length() && line.charAt(pos) == '{') {
      pos = parseLabels(line, pos + 1, labels);
    }
    String[] rest = line.substring(pos).strip().split("\\s+");
    if (name.isEmpty() || rest.length == 0 || rest[0].isEmpty()) {
      throw new IllegalArgumentException("expected: name{labels} value");
    }
    return new Sample(name, labels, parseValue(rest[0]));
  }

  /** Reads labels from just after '{'; returns the position after '}'. */
  private static int parseLabels(String line, int pos, Map<String, String> labels) {
    while (true) {
      while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == ',')) {
        pos++;
      }
      if (pos >= line.length()) {
        throw new IllegalArgumentException("unterminated labels");
      }
      if (line.charAt(pos) == '}') {
        return pos + 1;
      }
      int eq = line.indexOf('=', pos);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("expected label=\"value\" at column " + (pos + 1));
      }
      String key = line.substring(pos, eq).strip();
      StringBuilder value = new StringBuilder();
      pos = eq + 2;
      while (true) {
        if (pos >= line.length()) {
          throw new IllegalArgumentException("unterminated value of label '" + key + "'");
        }
        char c = line.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && pos < line.length()) {
          char escaped = line.charAt(pos++);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
    }
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
