package dev.infera.server.security;

/**
 * Matches request paths segment by segment: {@code *} is one non-empty segment, a trailing {@code
 * **} is zero or more. A trailing slash is ignored; empty segments are kept, so {@code //} never
 * matches {@code *}.
 */
final class PathPattern {
  private PathPattern() {}

  static String[] segments(String path) {
    String trimmed =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }

  static boolean matches(String pattern, String[] path) {
    String[] parts = segments(pattern);
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("**") && i == parts.length - 1) {
        return true;
      }
      if (i >= path.length) {
        return false;
      }
      boolean any = parts[i].equals("*") && !path[i].isEmpty();
      if (!any && !parts[i].equals(path[i])) {
        return false;
      }
    }
    return parts.length == path.length;
  }
}
