package dev.infera.core.lifecycle;

import java.util.Locale;

/** How the set of loaded models changes after start-up (Triton's {@code --model-control-mode}). */
public enum ModelControlMode {
  /** Every model of the repository loads at start; nothing changes afterwards. */
  NONE,
  /**
   * Every model loads at start; the repository is scanned every {@code --repository-poll-secs} and
   * added, removed and changed models and versions are applied.
   */
  POLL,
  /**
   * Only the {@code --load-model} models load at start; afterwards the repository API loads and
   * unloads.
   */
  EXPLICIT;

  /** The mode a command-line value names, in any letter case. */
  public static ModelControlMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "model control mode '" + text + "' (expected none, poll or explicit)", e);
    }
  }

  /** The mode as the command line writes it. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
