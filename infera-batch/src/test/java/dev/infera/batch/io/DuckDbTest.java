package dev.infera.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class DuckDbTest {
  @Test
  void aDatabaseOpenedAheadServesConnectionsToTheSameDatabase() throws Exception {
    try (DuckDb duckDb = DuckDb.openedAhead()) {
      try (Connection first = duckDb.connect();
          Statement create = first.createStatement()) {
        create.execute("CREATE TABLE t AS SELECT 42 AS answer");
      }
      // a second connection sees the first one's table: one database, opened once
      try (Connection second = duckDb.connect();
          Statement select = second.createStatement();
          ResultSet rows = select.executeQuery("SELECT answer FROM t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(42);
      }
    }
  }

  @Test
  void aDatabaseClosedWhileItOpensAheadRefusesConnections() {
    DuckDb duckDb = DuckDb.openedAhead();
    duckDb.close(); // waits for the opening thread, then closes what it opened

    assertThatThrownBy(duckDb::connect)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the job's DuckDB database is closed");
  }
}
