package dev.infera.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.config.proto.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConfigDataTypesTest {

  @ParameterizedTest
  @EnumSource(dev.infera.spi.DataType.class)
  void everySpiTypeRoundTrips(dev.infera.spi.DataType type) {
    assertThat(ConfigDataTypes.toSpi(ConfigDataTypes.toConfig(type))).isEqualTo(type);
  }

  @Test
  void typeStringIsBytes() {
    assertThat(ConfigDataTypes.toSpi(DataType.TYPE_STRING))
        .isEqualTo(dev.infera.spi.DataType.BYTES);
    assertThat(ConfigDataTypes.toConfig(dev.infera.spi.DataType.BYTES))
        .isEqualTo(DataType.TYPE_STRING);
  }

  @Test
  void numbersAreTritons() {
    assertThat(DataType.TYPE_FP32.getNumber()).isEqualTo(11);
    assertThat(DataType.TYPE_STRING.getNumber()).isEqualTo(13);
    assertThat(DataType.TYPE_BF16.getNumber()).isEqualTo(14);
  }

  @Test
  void invalidHasNoTensorType() {
    assertThatThrownBy(() -> ConfigDataTypes.toSpi(DataType.TYPE_INVALID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TYPE_INVALID");
  }
}
