package dev.infera.server.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as a plain-text table: columns padded to their widest cell, two spaces apart. */
final class Table {
  private Table() {}

  /** The first row is the header. */
  static void print(List<String[]> rows, PrintWriter out) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
