package dev.infera.core.config;

import dev.infera.core.config.proto.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the config.pbtxt fixtures under src/test/resources/config. */
final class ConfigFixtures {
  private ConfigFixtures() {}

  static String text(String name) {
    try (InputStream in = ConfigFixtures.class.getResourceAsStream("/config/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture config/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModelConfig parse(String name) {
    return ModelConfigParser.parse(text(name), name);
  }
}
