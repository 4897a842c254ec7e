package dev.infera.core;

import java.util.List;

/** The server's name, version and the protocol extensions it supports. */
public record ServerMetadata(String name, String version, List<String> extensions) {
  public ServerMetadata {
    extensions = List.copyOf(extensions);
  }
}
