package dev.infera.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Test tables: seeded feature rows written as CSV, JSON Lines or Parquet, and outputs read back.
 */
public final class Tables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tables() {}

  /** The project's examples/models (tests run in the module folder). */
  public static Path examples() {
    Path path = Paths.get("..", "examples", "models").toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("examples/models not found at " + path);
    }
    return path;
  }

  /**
   * {@code infera batch}'s arguments for a job of the examples' tabular_mlp from {@code input} to
   * {@code output}, then {@code more}.
   */
  public static List<String> batchArguments(Path input, Path output, String... more) {
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            "--model-repository",
            examples().toString(),
            "--model",
            "tabular_mlp",
            "--input",
            input.toString(),
            "--output",
            output.toString()));
    arguments.addAll(List.of(more));
    return arguments;
  }

  /** {@code rows} rows of {@code width} float features in [-2, 2), seeded. */
  public static float[][] features(int rows, int width, long seed) {
    Random random = new Random(seed);
    float[][] out = new float[rows][width];
    for (float[] row : out) {
      for (int i = 0; i < width; i++) {
        row[i] = random.nextFloat() * 4 - 2;
      }
    }
    return out;
  }

  /** A CSV with columns id, f0..f{width-1}; ids are "r1", "r2", ... */
  public static Path csv(Path file, float[][] rows) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder header = new StringBuilder("id");
      for (int i = 0; i < rows[0].length; i++) {
        header.append(",f").append(i);
      }
      out.write(header + "\n");
      for (int r = 0; r < rows.length; r++) {
        StringBuilder line = new StringBuilder("r").append(r + 1);
        for (float v : rows[r]) {
          line.append(',').append(v);
        }
        out.write(line + "\n");
      }
    }
    return file;
  }

  /** A CSV with columns key ("k0", "k1", ...) and text, every text quoted (RFC 4180). */
  public static Path texts(Path file, List<String> texts) throws IOException {
    StringBuilder csv = new StringBuilder("key,text\n");
    for (int i = 0; i < texts.size(); i++) {
      csv.append("k")
          .append(i)
          .append(",\"")
          .append(texts.get(i).replace("\"", "\"\""))
          .append("\"\n");
    }
    return Files.writeString(file, csv, StandardCharsets.UTF_8);
  }

  /** JSON Lines with an id and the features as one array column {@code features}. */
  public static Path jsonl(Path file, float[][] rows) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int r = 0; r < rows.length; r++) {
        StringBuilder line =
            new StringBuilder("{\"id\":\"r").append(r + 1).append("\",\"features\":[");
        for (int i = 0; i < rows[r].length; i++) {
          line.append(i == 0 ? "" : ",").append(rows[r][i]);
        }
        out.write(line + "]}\n");
      }
    }
    return file;
  }

  /** Parquet with a BIGINT id (1, 2, ...) and FLOAT columns f0.. (via DuckDB from a CSV). */
  public static Path parquet(Path file, float[][] rows) throws IOException, SQLException {
    Path csv = Files.createTempFile(file.getParent(), "parquet-source", ".csv");
    csv(csv, rows);
    StringBuilder select = new StringBuilder("SELECT CAST(substr(id, 2) AS BIGINT) AS id");
    for (int i = 0; i < rows[0].length; i++) {
      select.append(", CAST(f").append(i).append(" AS FLOAT) AS f").append(i);
    }
    sql(
        "COPY ("
            + select
            + " FROM read_csv('"
            + csv
            + "', all_varchar=true)) TO '"
            + file
            + "' (FORMAT parquet)");
    Files.delete(csv);
    return file;
  }

  static void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }

  /** The rows of the output folder's part files, in file order, as column → value (text). */
  public static List<Map<String, String>> readOutputs(Path folder) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Path file : parts(folder)) {
      rows.addAll(read(file));
    }
    return rows;
  }

  public static List<Path> parts(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }

  /** One file's rows, values as text (floats as Java's shortest decimal). */
  public static List<Map<String, String>> read(Path file) throws Exception {
    String name = file.getFileName().toString();
    List<Map<String, String>> rows = new ArrayList<>();
    if (name.endsWith(".jsonl")) {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        Map<String, String> row = new LinkedHashMap<>();
        node.fields()
            .forEachRemaining(
                e ->
                    row.put(
                        e.getKey(),
                        e.getValue().isNumber() && !e.getValue().isIntegralNumber()
                            ? Float.toString(e.getValue().floatValue())
                            : e.getValue().asText()));
        rows.add(row);
      }
      return rows;
    }
    String reader =
        name.endsWith(".csv")
            ? "read_csv('" + file + "', all_varchar=true, header=true)"
            : "read_parquet('" + file + "')";
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = connection.createStatement();
        ResultSet results = s.executeQuery("SELECT * FROM " + reader)) {
      ResultSetMetaData meta = results.getMetaData();
      while (results.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = results.getObject(i);
          if (value instanceof Float f) {
            value = Float.toString(f);
          } else if (value instanceof String text && looksFloat(text)) {
            value = Float.toString(Float.parseFloat(text));
          }
          row.put(meta.getColumnName(i), value == null ? null : value.toString());
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static boolean looksFloat(String text) {
    return text.contains(".") && text.chars().allMatch(c -> "0123456789.-+eE".indexOf(c) >= 0);
  }

  /** The reject records of an output folder. */
  public static List<JsonNode> rejects(Path folder) throws IOException {
    Path dir = folder.resolve("_rejects");
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            out.add(JSON.readTree(line));
          }
        }
      }
    }
    return out;
  }
}
