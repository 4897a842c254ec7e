package dev.infera.core.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server-wide response cache, as {@code --cache-config local,size=BYTES} configures it
 * (Triton's syntax for its local cache).
 *
 * @param sizeBytes the most bytes the cache holds, keys and responses together
 */
public record CacheSettings(long sizeBytes) {
  public CacheSettings {
    if (sizeBytes < 1) {
      throw new IllegalArgumentException("cache size " + sizeBytes + " (expected > 0 bytes)");
    }
  }

  /**
   * Parses {@code local,size=BYTES}.
   *
   * @throws IllegalArgumentException listing every problem of the text
   */
  public static CacheSettings parse(String text) {
    String[] parts = text.trim().split(",");
    List<String> problems = new ArrayList<>();
    if (!parts[0].trim().equals("local")) {
      problems.add("cache '" + parts[0].trim() + "' (expected: local)");
    }
    Long size = null;
    for (int i = 1; i < parts.length; i++) {
      String[] setting = parts[i].split("=", 2);
      String key = setting[0].trim().toLowerCase(Locale.ROOT);
      if (!key.equals("size") || setting.length != 2) {
        problems.add("setting '" + parts[i].trim() + "' (expected: size=BYTES)");
        continue;
      }
      try {
        size = Long.parseLong(setting[1].trim());
        if (size < 1) {
          problems.add("size " + size + " (expected > 0 bytes)");
        }
      } catch (NumberFormatException e) {
        problems.add("size '" + setting[1].trim() + "' (expected a number of bytes)");
      }
    }
    if (size == null && problems.isEmpty()) {
      problems.add("no size (expected: local,size=BYTES)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "--cache-config '" + text + "': " + String.join("; ", problems));
    }
    return new CacheSettings(size);
  }
}
