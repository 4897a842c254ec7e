package dev.infera.core.repository;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rule for version folder names, shared by every repository: the canonical decimal form of a
 * number from 0 to {@link Long#MAX_VALUE} (no sign, no leading zeros), so {@code 01} is not version
 * 1 and two folders cannot claim one version.
 */
public final class VersionNames {
  private VersionNames() {}

  /** The version a folder name stands for, or empty when it is no version. */
  public static OptionalLong parse(String name) {
    return problem(name).isPresent() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(name));
  }

  /**
   * Why a folder name is no version, such as {@code 'v1' is not a version number (expected a folder
   * named by a whole number such as 1)}; empty when it is one.
   */
  public static Optional<String> problem(String name) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.of(
          "'"
              + name
              + "' is not a version number (expected a folder named by a whole number such as 1)");
    }
    if (name.length() > 1 && name.charAt(0) == '0') {
      return Optional.of(
          "'"
              + name
              + "' is not a version number (expected no leading zeros, such as "
              + name.replaceFirst("^0+(?=.)", "")
              + ")");
    }
    try {
      Long.parseLong(name);
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.of(
          "'" + name + "' is out of range (expected at most " + Long.MAX_VALUE + ")");
    }
  }
}
