package dev.infera.server.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Why a file that a flag names cannot be used, in words: no exception class, no stack trace. */
final class FileProblems {
  private FileProblems() {}

  /** The reason of {@code e}: the operating system's ("Not a directory"), or one of ours. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return "'" + exists.getFile() + "' is a file, not a folder";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
