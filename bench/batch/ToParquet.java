import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Converts the benchmark's CSV (id, f0..f63) to Parquet with a BIGINT id and FLOAT columns (cast
 * from their text), through DuckDB. Run with the DuckDB JDBC jar on the class path: java -cp
 * duckdb_jdbc.jar ToParquet.java IN OUT
 */
public class ToParquet {
  public static void main(String[] args) throws Exception {
    StringBuilder select = new StringBuilder("SELECT CAST(id AS BIGINT) AS id");
    for (int i = 0; i < 64; i++) {
      select.append(", CAST(f").append(i).append(" AS FLOAT) AS f").append(i);
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "COPY (" + select + " FROM read_csv('" + args[0] + "', all_varchar=true)) TO '"
              + args[1] + "' (FORMAT parquet, ROW_GROUP_SIZE 100000)");
    }
  }
}
