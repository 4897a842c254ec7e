package dev.infera.core.repository;

/**
 * The rule for model names: what may reach the file system. A name is 1 to 255 characters, is not
 * {@code .} or {@code ..}, starts with no dot, and holds no path separator, control character or
 * NUL.
 */
public final class ModelNames {
  private static final int MAX_LENGTH = 255;

  private ModelNames() {}

  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || name.startsWith(".")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
