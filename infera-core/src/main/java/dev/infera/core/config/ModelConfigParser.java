package dev.infera.core.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormat;
import dev.infera.core.config.proto.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code config.pbtxt} (protobuf text format, Triton's {@code ModelConfig} schema)
 * strictly: an unknown field, an unknown enum value, a field set twice or two members of one {@code
 * oneof} fail with the line and column, and a misspelled field or value names the closest one.
 * Every problem of the text is reported at once: protobuf's parser stops at the first error other
 * than an unknown field, so the parser sets aside the line of each such error and parses again,
 * until the text parses or a line cannot be set aside without unbalancing its brackets. Parsing
 * checks syntax only; see {@link ModelConfigValidator} for meaning.
 *
 * <p>Stateless and safe from any thread.
 */
public final class ModelConfigParser {
  private static final TextFormat.Parser PARSER =
      TextFormat.Parser.newBuilder()
          .setSingularOverwritePolicy(
              TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
          .build();
  private static final Pattern UNKNOWN_FIELD =
      Pattern.compile("^(\\d+):(\\d+):\\s*inference\\.(\\w+(?:\\.\\w+)*)\\.(\\w+)$");
  private static final Pattern UNKNOWN_ENUM_VALUE =
      Pattern.compile("Enum type \"inference\\.([\\w.]+)\" has no value named \"([^\"]*)\"\\.?");
  private static final Pattern LOCATION = Pattern.compile("^\\d+:\\d+:\\s*");
  private static final Pattern NOT_POSITIVE =
      Pattern.compile("Couldn't parse integer: Number must be positive: (\\S+)");
  private static final Pattern OUT_OF_RANGE =
      Pattern.compile(
          "Couldn't parse integer: Number out of range for (32|64)-bit (signed|unsigned) integer:"
              + " (\\S+)");

  /** The field a value belongs to: the name before its colon (and an open list), at the end. */
  private static final Pattern FIELD_BEFORE_VALUE =
      Pattern.compile("(\\w+)\\s*:\\s*(?:\\[[^\\]]*)?$");

  /** Enough for any real configuration; bounds the work a hostile text can cause. */
  private static final int MAX_PROBLEMS = 50;

  private ModelConfigParser() {}

  /** One problem with where it is, so that problems are reported in text order. */
  private record Problem(int line, int column, String text) {
    String describe() {
      return "line " + line + ", column " + column + ": " + text;
    }
  }

  /**
   * Parses configuration text.
   *
   * @param text the content of a {@code config.pbtxt}
   * @param source names the text in problem messages, such as {@code models/simple/config.pbtxt}
   * @throws ConfigException naming each problem with its line and column
   */
  public static ModelConfig parse(String text, String source) {
    List<Problem> problems = new ArrayList<>();
    String current = text;
    while (problems.size() < MAX_PROBLEMS) {
      ModelConfig.Builder builder = ModelConfig.newBuilder();
      try {
        PARSER.merge(current, builder);
        if (problems.isEmpty()) {
          return builder.build();
        }
        break;
      } catch (TextFormat.ParseException e) {
        List<Problem> unknown = unknownFields(e);
        if (!unknown.isEmpty()) {
          problems.addAll(unknown); // reported together at the end of a parse: nothing follows
          break;
        }
        problems.add(describe(e, current));
        Optional<String> without = withoutLine(current, e.getLine());
        if (without.isEmpty()) {
          break;
        }
        current = without.get();
      }
    }
    problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    throw new ConfigException(source, problems.stream().map(Problem::describe).toList());
  }

  /**
   * Reads and parses a {@code config.pbtxt} file (UTF-8).
   *
   * @throws ConfigException when the file cannot be read or does not parse
   */
  public static ModelConfig parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("does not exist"));
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of("cannot be read (" + e.getClass().getSimpleName() + ")"));
    }
    return parse(text, file.toString());
  }

  private static List<Problem> unknownFields(TextFormat.ParseException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    List<Problem> problems = new ArrayList<>();
    for (String line : message.split("\n")) {
      Matcher unknown = UNKNOWN_FIELD.matcher(line.trim());
      if (unknown.matches()) {
        String type = unknown.group(3);
        String field = unknown.group(4);
        problems.add(
            new Problem(
                Integer.parseInt(unknown.group(1)),
                Integer.parseInt(unknown.group(2)),
                "unknown field '" + field + "' in " + type + suggestField(type, field)));
      }
    }
    return problems;
  }

  private static Problem describe(TextFormat.ParseException e, String text) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String detail = LOCATION.matcher(message).replaceFirst("");
    Matcher enumValue = UNKNOWN_ENUM_VALUE.matcher(detail);
    Matcher notPositive = NOT_POSITIVE.matcher(detail);
    Matcher outOfRange = OUT_OF_RANGE.matcher(detail);
    if (enumValue.matches()) {
      detail = unknownEnumValue(enumValue.group(1), enumValue.group(2));
    } else if (notPositive.matches()) {
      detail =
          fieldAt(text, e.getLine(), e.getColumn())
              + notPositive.group(1)
              + " (expected a whole number >= 0)";
    } else if (outOfRange.matches()) {
      detail =
          fieldAt(text, e.getLine(), e.getColumn())
              + outOfRange.group(3)
              + " is out of range ("
              + range(outOfRange.group(1), outOfRange.group(2), outOfRange.group(3))
              + ")";
    } else {
      detail = detail.replace("inference.", "");
    }
    if (atEnd(text, e.getLine(), e.getColumn())) {
      detail =
          detail.replaceFirst("\\.$", "") + " at the end of the text (is a '[' or '{' left open?)";
    }
    return new Problem(e.getLine(), e.getColumn(), detail);
  }

  /**
   * The field whose value starts at the 1-based line and column, as {@code name: } to go before the
   * value, or {@code value } when the text before it names none.
   */
  private static String fieldAt(String text, int line, int column) {
    String[] lines = text.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return "value ";
    }
    String before =
        lines[line - 1].substring(0, Math.min(Math.max(column - 1, 0), lines[line - 1].length()));
    Matcher field = FIELD_BEFORE_VALUE.matcher(before);
    return field.find() ? field.group(1) + ": " : "value ";
  }

  /** What an integer field of protobuf's width and sign takes, for a value beyond it. */
  private static String range(String bits, String sign, String value) {
    boolean wide = bits.equals("64");
    if (sign.equals("unsigned")) {
      return "expected at most " + (wide ? "18446744073709551615" : "4294967295");
    }
    return value.startsWith("-")
        ? "expected at least " + (wide ? Long.MIN_VALUE : Integer.MIN_VALUE)
        : "expected at most " + (wide ? Long.MAX_VALUE : Integer.MAX_VALUE);
  }

  /** Whether nothing but white space and comments follows the 1-based line and column. */
  private static boolean atEnd(String text, int line, int column) {
    String[] lines = text.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return true;
    }
    String first = lines[line - 1];
    if (!isBlankOrComment(first.substring(Math.min(Math.max(column - 1, 0), first.length())))) {
      return false;
    }
    for (int i = line; i < lines.length; i++) {
      if (!isBlankOrComment(lines[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlankOrComment(String text) {
    return text.replaceFirst("#.*", "").isBlank();
  }

  private static String unknownEnumValue(String typeName, String value) {
    EnumDescriptor type = findEnum(typeName);
    if (type == null) {
      return "unknown value '" + value + "' for " + typeName;
    }
    List<String> names = type.getValues().stream().map(EnumValueDescriptor::getName).toList();
    return "unknown value '"
        + value
        + "' for "
        + typeName
        + " (expected one of "
        + String.join(", ", names)
        + ")"
        + Suggestions.closest(value, names).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  private static String suggestField(String typeName, String field) {
    Descriptor type = findMessage(typeName);
    if (type == null) {
      return "";
    }
    List<String> names = type.getFields().stream().map(FieldDescriptor::getName).toList();
    return Suggestions.closest(field, names).map(s -> " (did you mean '" + s + "'?)").orElse("");
  }

  /**
   * The text with one line (1-based) blanked, when that keeps its brackets balanced; empty when the
   * line opens or closes a block, which cannot be set aside alone.
   */
  static Optional<String> withoutLine(String text, int line) {
    String[] lines = text.split("\n", -1);
    if (line < 1
        || line > lines.length
        || lines[line - 1].isBlank()
        || !balanced(lines[line - 1])) {
      return Optional.empty(); // nothing to set aside, or a line that would unbalance the text
    }
    lines[line - 1] = "";
    return Optional.of(String.join("\n", lines));
  }

  private static boolean balanced(String line) {
    int depth = 0;
    boolean quoted = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quoted = false;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        quote = c;
      } else if (c == '#') {
        break;
      } else if (c == '{' || c == '[' || c == '<') {
        depth++;
      } else if (c == '}' || c == ']' || c == '>') {
        if (--depth < 0) {
          return false;
        }
      }
    }
    return depth == 0 && !quoted;
  }

  private static Descriptor findMessage(String typeName) {
    String[] parts = typeName.split("\\.");
    Descriptor message = ModelConfig.getDescriptor().getFile().findMessageTypeByName(parts[0]);
    for (int i = 1; message != null && i < parts.length; i++) {
      message = message.findNestedTypeByName(parts[i]);
    }
    return message;
  }

  private static EnumDescriptor findEnum(String typeName) {
    var file = ModelConfig.getDescriptor().getFile();
    String[] parts = typeName.split("\\.");
    if (parts.length == 1) {
      return file.findEnumTypeByName(parts[0]);
    }
    Descriptor message = findMessage(typeName.substring(0, typeName.lastIndexOf('.')));
    return message == null ? null : message.findEnumTypeByName(parts[parts.length - 1]);
  }
}
