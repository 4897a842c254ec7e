package dev.infera.server.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = InferaCommand.class.getPackage().getImplementationVersion();
    return new String[] {"infera " + (version == null ? "development" : version)};
  }
}
