package dev.infera.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void readsNamesLabelsAndValuesSkippingComments() {
    List<Sample> samples =
        PrometheusText.parse(
            """
            # HELP infera_inference_count_total Rows inferred.
            # TYPE infera_inference_count_total counter
            infera_inference_count_total{model="tabular_mlp",version="1"} 128.0

            process_uptime_seconds 12.5
            """);

    assertThat(samples)
        .containsExactly(
            new Sample(
                "infera_inference_count_total",
                Map.of("model", "tabular_mlp", "version", "1"),
                128.0),
            new Sample("process_uptime_seconds", Map.of(), 12.5));
  }

  @Test
  void labelValuesMayHoldEscapesCommasAndBraces() {
    Sample sample =
        PrometheusText.parse("m{a=\"x\\\"y\",b=\"p,q}\",c=\"back\\\\slash\\n\",} 1").get(0);

    assertThat(sample.labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "x\"y", "b", "p,q}", "c", "back\\slash\n"));
  }

  @Test
  void infinitiesNanAndTimestampsAreRead() {
    List<Sample> samples =
        PrometheusText.parse(
            "h_bucket{le=\"+Inf\"} +Inf\nh_sum NaN\nh_count 3 1712345678000\nneg -Inf\n");

    assertThat(samples)
        .extracting(Sample::value)
        .containsExactly(Double.POSITIVE_INFINITY, Double.NaN, 3.0, Double.NEGATIVE_INFINITY);
  }

  @Test
  void aMalformedLineIsReportedWithItsNumber() {
    assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{model=\"x\" 2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("broken");
  }

  @Test
  void aLineWithoutValueIsRejected() {
    assertThatThrownBy(() -> PrometheusText.parse("lonely_name\n")).hasMessageContaining("line 1");
  }
}
