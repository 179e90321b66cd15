package io.portcullis.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table as {@code docker ps} prints one: upper-case headers, columns as wide as their widest cell. */
final class Table {
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    rows.add(List.of(headers));
  }

  Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null || cell.toString().isEmpty() ? "-" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  void print(PrintStream out) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    rows.forEach(row -> {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    });
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        // The last column is not padded: no trailing blanks.
        line.append(i == columns - 1 ? row.get(i) : String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
      }
      out.println(line);
    }
  }
}
