package dev.infera.server.it;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP trace receiver on a free loopback port, standing in for an OpenTelemetry Collector:
 * it accepts the Collector's export protocol ({@code POST /v1/traces}, a protobuf {@code
 * ExportTraceServiceRequest}) exactly as a Collector's {@code otlp} receiver does, and keeps the
 * spans it received.
 */
final class OtlpReceiver implements AutoCloseable {
  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final List<ResourceSpans> resources = new CopyOnWriteArrayList<>();
  private final Server server;

  OtlpReceiver() {
    server =
        Server.builder()
            .http(0)
            .service(
                "/v1/traces",
                (ctx, req) ->
                    HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                body -> {
                                  try {
                                    ExportTraceServiceRequest export =
                                        ExportTraceServiceRequest.parseFrom(body.content().array());
                                    for (ResourceSpans resource : export.getResourceSpansList()) {
                                      resources.add(resource);
                                      for (ScopeSpans scope : resource.getScopeSpansList()) {
                                        spans.addAll(scope.getSpansList());
                                      }
                                    }
                                  } catch (Exception e) {
                                    return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                  }
                                  return HttpResponse.of(
                                      HttpStatus.OK,
                                      MediaType.PROTOBUF,
                                      ExportTraceServiceResponse.getDefaultInstance()
                                          .toByteArray());
                                })))
            .build();
    server.start().join();
  }

  /** The receiver's OTLP/HTTP traces endpoint. */
  String url() {
    return "http://127.0.0.1:" + server.activeLocalPort() + "/v1/traces";
  }

  List<ResourceSpans> resources() {
    return List.copyOf(resources);
  }

  /** Waits (up to 60 s) until the spans received satisfy {@code done}; returns them. */
  List<Span> await(Predicate<List<Span>> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<Span> received = List.copyOf(spans);
      if (done.test(received)) {
        return received;
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the exporter sends every 50 ms
    }
    throw new AssertionError("the receiver did not get the expected spans; it got " + spans);
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
