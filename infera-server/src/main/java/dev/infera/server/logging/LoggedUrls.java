package dev.infera.server.logging;

import java.net.URI;

/**
 * URLs as the effective configuration logs them: user information and the query (where tokens and
 * passwords go in a URL) are masked, the rest shown.
 */
public final class LoggedUrls {
  private static final String MASK = "***";

  private LoggedUrls() {}

  /**
   * {@code https://***@host:443/path?***} for {@code https://user:secret@host:443/path?token=t}.
   */
  public static String shown(URI url) {
    if (url.getRawUserInfo() == null && url.getRawQuery() == null) {
      return url.toString();
    }
    StringBuilder shown = new StringBuilder();
    if (url.getScheme() != null) {
      shown.append(url.getScheme()).append("://");
    }
    if (url.getRawUserInfo() != null) {
      shown.append(MASK).append('@');
    }
    if (url.getHost() != null) {
      shown.append(url.getHost());
    }
    if (url.getPort() >= 0) {
      shown.append(':').append(url.getPort());
    }
    if (url.getRawPath() != null) {
      shown.append(url.getRawPath());
    }
    if (url.getRawQuery() != null) {
      shown.append('?').append(MASK);
    }
    return shown.toString();
  }
}
