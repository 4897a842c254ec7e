package dev.infera.core.repository;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The repository cannot be listed now: its folder is gone or its storage failed. The condition may
 * pass (a folder moved back, a mount that returns), so callers keep what they loaded from it and
 * ask again later. The message names the repository and what went wrong.
 */
public final class RepositoryUnavailableException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  public RepositoryUnavailableException(String message, IOException cause) {
    super(message, cause);
  }
}
