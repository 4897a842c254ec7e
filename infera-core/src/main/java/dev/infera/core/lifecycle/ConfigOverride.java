package dev.infera.core.lifecycle;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;

/**
 * The {@code config} parameter of a load request: a whole {@code ModelConfig} in protobuf's JSON
 * mapping (field names as in config.pbtxt or in lowerCamelCase), as Triton takes it. It replaces
 * the folder's {@code config.pbtxt} for that load.
 */
final class ConfigOverride {
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
          "model '"
              + model
              + "': parameter 'config' is not a ModelConfig in JSON: "
              + e.getMessage());
    }
    return builder.build();
  }
}
