package dev.infera.server.security;

import dev.infera.core.repository.ModelNames;
import dev.infera.spi.InferenceException;

/**
 * Checks model names and versions that come from a client (REST paths, gRPC fields) before they
 * reach the engine or the repository: a name must pass {@link ModelNames} (no {@code .}/{@code ..},
 * no leading dot, no path separator, control character or NUL, at most 255 characters); a version
 * is a non-negative decimal integer. Failures are INVALID_ARGUMENT (HTTP 400).
 */
public final class ClientNames {
  private static final int MAX_VERSION_DIGITS = 19;
  private static final int MAX_SHOWN = 64;

  private ClientNames() {}

  /** Checks a model name. */
  public static void checkModel(String name) {
    if (!ModelNames.isValid(name)) {
      throw InferenceException.invalidArgument(
          "model name '"
              + shown(name)
              + "' is not valid (expected 1 to 255 characters, not starting with '.', without '/',"
              + " '\\' or control characters)");
    }
  }

  /** Checks a model version. */
  public static void checkVersion(String version) {
    if (!isVersion(version)) {
      throw InferenceException.invalidArgument(
          "model version '" + shown(version) + "' is not valid (expected a non-negative integer)");
    }
  }

  static boolean isVersion(String version) {
    if (version == null || version.isEmpty() || version.length() > MAX_VERSION_DIGITS) {
      return false;
    }
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true; // 19 digits may still exceed a long: the engine refuses that one (400) itself
  }

  /** A client's text as it may appear in a message: control characters escaped, length capped. */
  static String shown(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < MAX_SHOWN; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return text.length() > MAX_SHOWN ? out + "..." : out.toString();
  }
}
