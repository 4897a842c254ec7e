package dev.infera.batch.io;

/**
 * One row read from an input file.
 *
 * @param file the file's name
 * @param row the row's number within the file, from 1 (the header is not a row)
 * @param line the line it starts on in a text file, from 1; 0 for Parquet
 * @param values its values in column order: {@code String} (text, and CSV's every value), {@code
 *     Number}, {@code Boolean}, {@code byte[]}, {@code java.util.List} for arrays, or null when
 *     absent; null when the row could not be read at all
 * @param error why the row could not be read (a JSON line that is no object...); null when it was
 */
public record SourceRow(String file, long row, long line, Object[] values, String error) {

  public static SourceRow of(String file, long row, long line, Object[] values) {
    return new SourceRow(file, row, line, values, null);
  }

  public static SourceRow unreadable(String file, long row, long line, String error) {
    return new SourceRow(file, row, line, null, error);
  }

  /** Where the row is, for a reject record: {@code data.csv line 12}, {@code a.parquet row 7}. */
  public String where() {
    return line > 0 ? file + " line " + line : file + " row " + row;
  }
}
