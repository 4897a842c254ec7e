package dev.infera.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.bench.load.Latencies;
import dev.infera.bench.load.StepResult;
import dev.infera.bench.metrics.ServerSplit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReportFormatTest {

  private static Map<String, Object> row(String name, double value, Map<String, Long> errors) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("value", value);
    row.put("errors", errors);
    return row;
  }

  @Test
  void csvHasAHeaderAndQuotesCellsWithCommas() {
    String csv =
        ReportFormat.CSV.render(
            List.of(row("a,b", 1.5, Map.of()), row("c", Double.NaN, Map.of("http 503", 2L))));

    assertThat(csv).isEqualTo("name,value,errors\n\"a,b\",1.50000,0\nc,,http 503=2\n");
  }

  @Test
  void tableColumnsAreRightAligned() {
    String table =
        ReportFormat.TABLE.render(
            List.of(row("x", 12345.6, Map.of()), row("long", 0.25, Map.of())));

    assertThat(table.lines().toList())
        .containsExactly("name  value  errors", "   x  12346       0", "long  0.250       0");
  }

  @Test
  void jsonKeepsNumbersAsNumbers() throws Exception {
    JsonNode json =
        new ObjectMapper().readTree(ReportFormat.JSON.render(List.of(row("x", 2.5, Map.of()))));

    assertThat(json.get(0).get("value").isNumber()).isTrue();
    assertThat(json.get(0).get("value").asDouble()).isEqualTo(2.5);
  }

  @Test
  void aStepRowCarriesThroughputPercentilesErrorsAndTheServerSplit() {
    long[] nanos = {1_000_000, 2_000_000, 3_000_000, 4_000_000};
    Map<String, Long> errors = new TreeMap<>(Map.of("grpc UNAVAILABLE", 3L));
    StepResult step =
        new StepResult(
            "concurrency",
            4,
            2.0,
            400,
            8,
            Latencies.of(nanos, 4),
            errors,
            new ServerSplit(0.0005, 0.002, 6.5, 100));

    Map<String, Object> row = ResultRows.of(step);

    assertThat(row)
        .containsEntry("concurrency", 4L)
        .containsEntry("req_per_s", 200.0)
        .containsEntry("infer_per_s", 1600.0)
        .containsEntry("p50_ms", 2.0)
        .containsEntry("p99_ms", 4.0)
        .containsEntry("errors", Map.of("grpc UNAVAILABLE", 3L))
        .containsEntry("server_queue_ms", 0.5)
        .containsEntry("server_compute_ms", 2.0)
        .containsEntry("server_mean_batch", 6.5);
  }
}
