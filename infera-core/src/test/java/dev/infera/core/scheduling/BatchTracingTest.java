package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Requests.request;
import static dev.infera.core.scheduling.Requests.with;
import static dev.infera.core.scheduling.SchedulerHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.tracing.InferenceSpans;
import dev.infera.core.tracing.VersionTracer;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans of traced requests' executions, from the scheduler's own measured times. */
class BatchTracingTest {
  private static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");
  private static final BatchPolicy WAIT_5MS = BatchPolicy.dynamic(8).withMaxQueueDelay(ms(5));

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final VersionTracer tracer =
      new VersionTracer(
          provider.get(InferenceSpans.SCOPE), Clock.fixed(NOW, ZoneOffset.UTC), "m", "1");

  @AfterEach
  void close() {
    provider.close();
  }

  private static SpanContext requestSpan(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private List<SpanData> named(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  @Test
  void aBatchSpanIsLinkedToEveryTracedRequestAndEachGetsItsQueueAndComputeSpans() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_5MS, tracer);
    harness.instance.duringExecute(rows -> harness.ticker.advance(ms(3)));
    SpanContext a = requestSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    SpanContext b = requestSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");

    harness.enqueue(with("a").span(a).build());
    harness.advance(ms(2));
    harness.enqueue(request("untraced"));
    harness.enqueue(with("b").rows(3).span(b).build());
    harness.advance(ms(3));

    assertThat(harness.executedBatches()).hasSize(1);
    List<SpanData> batches = named(InferenceSpans.BATCH);
    assertThat(batches).hasSize(1);
    SpanData batch = batches.get(0);
    assertThat(batch.getParentSpanContext().isValid()).isFalse();
    assertThat(batch.getLinks()).extracting(LinkData::getSpanContext).containsExactly(a, b);
    assertThat(batch.getAttributes().get(InferenceSpans.BATCH_SIZE)).isEqualTo(3L);
    assertThat(batch.getAttributes().get(InferenceSpans.BATCH_ROWS)).isEqualTo(5L);
    assertThat(batch.getAttributes().get(InferenceSpans.MODEL)).isEqualTo("m");
    assertThat(batch.getAttributes().get(InferenceSpans.VERSION)).isEqualTo("1");
    assertThat(batch.getEndEpochNanos() - batch.getStartEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));

    List<SpanData> queues = named(InferenceSpans.QUEUE);
    assertThat(queues)
        .extracting(s -> s.getParentSpanContext().getSpanId())
        .containsExactly(a.getSpanId(), b.getSpanId());
    assertThat(queues)
        .extracting(SpanData::getTraceId)
        .containsExactly(a.getTraceId(), b.getTraceId());
    assertThat(queues)
        .extracting(s -> s.getEndEpochNanos() - s.getStartEpochNanos())
        .containsExactly(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(3));
    assertThat(queues.get(0).getEndEpochNanos()).isEqualTo(batch.getStartEpochNanos());

    List<SpanData> computes = named(InferenceSpans.COMPUTE);
    assertThat(computes)
        .extracting(s -> s.getParentSpanContext().getSpanId())
        .containsExactly(a.getSpanId(), b.getSpanId());
    assertThat(computes)
        .allSatisfy(
            c ->
                assertThat(c.getLinks())
                    .extracting(LinkData::getSpanContext)
                    .containsExactly(batch.getSpanContext()));
    assertThat(computes)
        .extracting(s -> s.getAttributes().get(InferenceSpans.ROWS))
        .containsExactly(1L, 3L);
  }

  @Test
  void untracedRequestsBuildNoSpans() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_5MS, tracer);

    harness.enqueue(request("a"));
    harness.enqueue(request("b"));
    harness.advance(ms(5));

    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b"));
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aFailedBatchMarksItsSpansWithTheErrorCode() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8), tracer);
    harness.instance.failNext(
        new dev.infera.spi.InferenceException(dev.infera.spi.ErrorCode.UNAVAILABLE, "gone"));
    SpanContext a = requestSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");

    harness.enqueue(with("a").span(a).build());

    SpanData batch = named(InferenceSpans.BATCH).get(0);
    assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(batch.getAttributes().get(InferenceSpans.ERROR_CODE)).isEqualTo("UNAVAILABLE");
    SpanData compute = named(InferenceSpans.COMPUTE).get(0);
    assertThat(compute.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(compute.getParentSpanContext().getSpanId()).isEqualTo(a.getSpanId());
  }
}
