package dev.infera.core.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.infera.core.config.proto.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the {@code config.pbtxt} loader: any text either parses or fails with a {@link
 * ConfigException}; a parsed configuration is validated without throwing; one the validator accepts
 * yields the model's declared signature. A plain test run replays the committed corpus ({@code
 * ModelConfigParserFuzzTestInputs}); {@code JAZZER_FUZZ=1} fuzzes (see docs/security.md).
 */
class ModelConfigParserFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parseConfig(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ModelConfig config;
    try {
      config = ModelConfigParser.parse(text, "fuzz/config.pbtxt");
    } catch (ConfigException e) {
      if (e.problems().isEmpty()) {
        throw new AssertionError("a parse failure without a problem", e);
      }
      return;
    }
    List<String> problems = ModelConfigValidator.problems(config, "fuzz");
    if (problems.isEmpty()) {
      ModelConfigCompleter.declaredSignature(config);
    }
  }
}
