package dev.infera.core.config;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.TextFormat;
import dev.infera.core.config.proto.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a {@code config.pbtxt} (protobuf text format, Triton's {@code ModelConfig} schema)
 * strictly: an unknown field, an unknown enum value, a field set twice or two members of one {@code
 * oneof} fail with the line and column. Every unknown field in the text is reported at once; any
 * other syntax error stops the parse at that point. Parsing checks syntax only; see {@link
 * ModelConfigValidator} for meaning.
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

  private ModelConfigParser() {}

  /**
   * Parses configuration text.
   *
   * @param text the content of a {@code config.pbtxt}
   * @param source names the text in problem messages, such as {@code models/simple/config.pbtxt}
   * @throws ConfigException naming each problem with its line and column
   */
  public static ModelConfig parse(String text, String source) {
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    try {
      PARSER.merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException(source, describe(e));
    }
    return builder.build();
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
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of("cannot be read (" + e.getClass().getSimpleName() + ")"));
    }
    return parse(text, file.toString());
  }

  private static List<String> describe(TextFormat.ParseException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    List<String> problems = new ArrayList<>();
    for (String line : message.split("\n")) {
      Matcher unknown = UNKNOWN_FIELD.matcher(line.trim());
      if (unknown.matches()) {
        problems.add(
            at(unknown.group(1), unknown.group(2))
                + "unknown field '"
                + unknown.group(4)
                + "' in "
                + unknown.group(3));
      }
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    String detail = LOCATION.matcher(message).replaceFirst("");
    Matcher enumValue = UNKNOWN_ENUM_VALUE.matcher(detail);
    if (enumValue.matches()) {
      detail =
          "unknown value '"
              + enumValue.group(2)
              + "' for "
              + enumValue.group(1)
              + " (expected one of "
              + enumValues(enumValue.group(1))
              + ")";
    } else {
      detail = detail.replace("inference.", "");
    }
    return List.of(at(String.valueOf(e.getLine()), String.valueOf(e.getColumn())) + detail);
  }

  private static String at(String line, String column) {
    return "line " + line + ", column " + column + ": ";
  }

  private static String enumValues(String typeName) {
    EnumDescriptor type = findEnum(typeName);
    if (type == null) {
      return "the schema's values";
    }
    return type.getValues().stream()
        .map(EnumValueDescriptor::getName)
        .collect(Collectors.joining(", "));
  }

  private static EnumDescriptor findEnum(String typeName) {
    var file = ModelConfig.getDescriptor().getFile();
    String[] parts = typeName.split("\\.");
    if (parts.length == 1) {
      return file.findEnumTypeByName(parts[0]);
    }
    var message = file.findMessageTypeByName(parts[0]);
    for (int i = 1; message != null && i < parts.length - 1; i++) {
      message = message.findNestedTypeByName(parts[i]);
    }
    return message == null ? null : message.findEnumTypeByName(parts[parts.length - 1]);
  }
}
