package dev.infera.core.config;

import dev.infera.spi.DataType;

/**
 * Maps the configuration's {@code TYPE_*} data types to the SPI's {@link DataType} and back. The
 * names match after the {@code TYPE_} prefix, except {@code TYPE_STRING}, which is {@link
 * DataType#BYTES}.
 */
public final class ConfigDataTypes {
  private ConfigDataTypes() {}

  /**
   * The SPI type for a configuration type.
   *
   * @throws IllegalArgumentException for {@code TYPE_INVALID} or a value this schema does not know
   */
  public static DataType toSpi(dev.infera.core.config.proto.DataType type) {
    if (type == dev.infera.core.config.proto.DataType.TYPE_INVALID
        || type == dev.infera.core.config.proto.DataType.UNRECOGNIZED) {
      throw new IllegalArgumentException("data type " + type + " has no tensor type");
    }
    return DataType.fromTritonName(type.name())
        .orElseThrow(() -> new IllegalArgumentException("data type " + type + " is not mapped"));
  }

  /** The configuration type for an SPI type; every SPI type has one. */
  public static dev.infera.core.config.proto.DataType toConfig(DataType type) {
    return dev.infera.core.config.proto.DataType.valueOf(type.tritonName());
  }
}
