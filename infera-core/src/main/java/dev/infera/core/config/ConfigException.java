package dev.infera.core.config;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.List;

/**
 * A model configuration that cannot be used. Carries every problem found, each naming the field or
 * tensor and what was expected; the message lists them all. The code is {@link
 * ErrorCode#INVALID_ARGUMENT}: the configuration, not Infera, is at fault.
 */
public final class ConfigException extends InferenceException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * @param subject what was being read, such as {@code model 'simple'}
   * @param problems one or more problems, each a complete sentence fragment
   */
  public ConfigException(String subject, List<String> problems) {
    super(ErrorCode.INVALID_ARGUMENT, message(subject, problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems found, in the order they were found; never empty. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String subject, List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    if (problems.size() == 1) {
      return subject + ": " + problems.get(0);
    }
    return subject + ": " + problems.size() + " problems: " + String.join("; ", problems);
  }
}
