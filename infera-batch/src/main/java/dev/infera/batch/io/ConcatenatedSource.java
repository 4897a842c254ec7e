package dev.infera.batch.io;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The rows of several files, one file after the other, each read when reached. Every file's columns
 * are checked when it is created, before a row is scored: a file that does not match (or cannot be
 * read as its format) is refused before anything is written, not after partitions were committed.
 */
final class ConcatenatedSource implements RowSource {
  private final List<Path> files;
  private final Function<Path, RowSource> opener;
  private final List<String> columns;
  private RowSource current;
  private int index;

  ConcatenatedSource(List<Path> files, Function<Path, RowSource> opener) {
    this.files = List.copyOf(files);
    this.opener = opener;
    this.current = opener.apply(files.get(0));
    this.columns = current.columns();
    try {
      for (Path file : this.files.subList(1, this.files.size())) {
        try (RowSource other = opener.apply(file)) {
          Sources.checkSameColumns(file, columns, other.columns());
        }
      }
    } catch (RuntimeException e) {
      current.close();
      throw e;
    }
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public SourceRow next() {
    while (current != null) {
      SourceRow row = current.next();
      if (row != null) {
        return row;
      }
      current.close();
      current = null;
      index++;
      if (index < files.size()) {
        RowSource nextFile = opener.apply(files.get(index));
        try {
          Sources.checkSameColumns(files.get(index), columns, nextFile.columns());
        } catch (IllegalArgumentException e) {
          nextFile.close();
          throw e;
        }
        current = nextFile;
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
