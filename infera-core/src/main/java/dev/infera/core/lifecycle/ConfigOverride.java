package dev.infera.core.lifecycle;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code config} parameter of a load request: a whole {@code ModelConfig} in protobuf's JSON
 * mapping (field names as in config.pbtxt or in lowerCamelCase), as Triton takes it. It replaces
 * the folder's {@code config.pbtxt} for that load.
 */
final class ConfigOverride {
  private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

  private ConfigOverride() {}

  /**
   * @throws InferenceException INVALID_ARGUMENT naming the model and what is wrong with the JSON
   */
  static ModelConfig parse(String json, String model) {
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    try {
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "failed to load model '" + model + "': parameter 'config' " + problem(e),
          e);
    }
    return builder.build();
  }

  /**
   * What is wrong, in the client's terms: the JSON parser's own exception (Gson's, inside protobuf)
   * is named by its position only, never by its class or advice meant for programmers.
   */
  private static String problem(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("com.google.gson.")
          || t instanceof java.io.EOFException) {
        Matcher at = POSITION.matcher(String.valueOf(t.getMessage()));
        return "is not valid JSON"
            + (at.find() ? " (at line " + at.group(1) + ", column " + at.group(2) + ")" : "")
            + "; expected a ModelConfig in protobuf's JSON mapping, such as"
            + " {\"max_batch_size\": 8}";
      }
    }
    return "is not a ModelConfig in JSON: " + e.getMessage();
  }
}
