package dev.infera.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit the server was built from, written into {@code build.properties} by the
 * Maven build (resource filtering, the commit from the git-commit-id plugin). {@code infera
 * --version}, {@code GET /v2} and the {@code infera_build_info} metric all read it, so they agree.
 *
 * @param version the project version, such as {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated git commit, or {@code unknown} when built outside a git checkout
 */
public record BuildInfo(String version, String commit) {
  private static final String RESOURCE = "build.properties";
  static final String UNKNOWN = "unknown";

  /** What this build says; {@code unknown} for what it could not tell. */
  public static BuildInfo current() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new BuildInfo(
        resolved(properties.getProperty("version")), resolved(properties.getProperty("commit")));
  }

  /** An unfiltered placeholder (built without Maven, or no git) counts as unknown. */
  private static String resolved(String value) {
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
  }

  /** {@code infera 0.1.0 (commit abc1234)}. */
  public String describe() {
    return "infera " + version + " (commit " + commit + ")";
  }
}
