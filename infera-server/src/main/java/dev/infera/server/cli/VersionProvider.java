package dev.infera.server.cli;

import dev.infera.server.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code infera --version}: the version and commit of the build, as {@code GET /v2} reports. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {BuildInfo.current().describe()};
  }
}
