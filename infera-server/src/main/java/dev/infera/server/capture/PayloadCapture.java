package dev.infera.server.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.monitoring.InferenceObserver;
import dev.infera.server.rest.JsonTensorWriter;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payload capture ({@code --capture-*}): of the watched models' answered requests, a sampled
 * fraction is handed (as references to their immutable tensors) to a bounded queue; the {@code
 * infera-capture} thread writes each as one JSON line to {@link CaptureFiles}. A full queue drops
 * the record, a failed write (a full disk, a missing folder) loses it; both are counted in {@code
 * infera_capture_dropped_total{reason}} and a failing write is logged (at most once a minute), and
 * inference goes on either way.
 *
 * <p>Threading: {@link #completed} runs on the thread answering the request and only samples and
 * offers; everything else happens on the capture thread.
 */
public final class PayloadCapture implements InferenceObserver, AutoCloseable {
  public static final String WRITTEN = "infera_capture_written_total";
  public static final String DROPPED = "infera_capture_dropped_total";
  public static final String SENT = "infera_capture_sent_total";

  private static final Logger LOG = LoggerFactory.getLogger(PayloadCapture.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final CaptureSettings settings;
  private final Clock clock;
  private final BlockingQueue<Captured> queue;
  private final CaptureFiles files;
  private final CloudEventSink sink;
  private final Counter written;
  private final Counter sent;
  private final Counter sinkFailed;
  private final Counter queueFull;
  private final Counter writeFailed;
  private final Thread writer;
  private volatile boolean closing;
  private long lastWarning = -WARN_EVERY_NANOS;

  private record Captured(InferenceRequest request, InferenceResponse response, Instant time) {}

  public PayloadCapture(CaptureSettings settings, MeterRegistry registry, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.files = new CaptureFiles(settings, clock);
    this.sink =
        settings
            .sink()
            .map(url -> new CloudEventSink(url, settings.sinkBatch(), Duration.ofSeconds(5)))
            .orElse(null);
    this.sent =
        Counter.builder(SENT)
            .description("Captured requests the CloudEvents sink took")
            .register(registry);
    this.sinkFailed = dropped(registry, "sink_failed");
    this.written =
        Counter.builder(WRITTEN)
            .description("Captured requests written to the payload capture files")
            .register(registry);
    this.queueFull = dropped(registry, "queue_full");
    this.writeFailed = dropped(registry, "write_failed");
    this.writer = new Thread(this::run, "infera-capture");
    writer.setDaemon(true);
    writer.start();
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder(DROPPED)
        .description("Captured requests lost: the queue was full, or writing failed")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public void completed(InferenceRequest request, InferenceResponse response, boolean batched) {
    if (closing
        || !settings.watches(request.modelName())
        || (settings.rate() < 1 && ThreadLocalRandom.current().nextDouble() >= settings.rate())) {
      return;
    }
    if (!queue.offer(new Captured(request, response, clock.instant()))) {
      queueFull.increment();
    }
  }

  private void run() {
    try {
      while (!closing || !queue.isEmpty()) {
        Captured next = queue.poll(100, TimeUnit.MILLISECONDS);
        if (next != null) {
          write(next);
        }
        if (sink != null && sink.pending() > 0 && (next == null || queue.isEmpty())) {
          send(); // nothing more waiting: the batch goes now rather than when full
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        files.close();
      } catch (IOException e) {
        LOG.warn("payload capture: closing {} failed: {}", settings.directory(), e.toString());
      }
    }
  }

  private void write(Captured captured) {
    byte[] line;
    try {
      line = line(captured);
    } catch (IOException | RuntimeException e) {
      writeFailed.increment();
      warn("encoding a record", e);
      return;
    }
    try {
      files.append(line);
      written.increment();
    } catch (IOException | RuntimeException e) {
      writeFailed.increment();
      warn("writing to " + settings.directory(), e);
    }
    if (sink != null) {
      try {
        if (sink.add(
            line,
            captured.response().modelName(),
            captured.response().modelVersion(),
            captured.time())) {
          send();
        }
      } catch (IOException | RuntimeException e) {
        sinkFailed.increment();
        warn("sending to the CloudEvents sink", e);
      }
    }
  }

  private void send() {
    int waiting = sink.pending();
    try {
      sent.increment(sink.send());
    } catch (IOException | RuntimeException e) {
      sinkFailed.increment(waiting);
      warn("sending to the CloudEvents sink", e);
    }
  }

  /** Logs a failure at most once a minute; the counters count every record. */
  private void warn(String what, Exception e) {
    long now = System.nanoTime();
    if (now - lastWarning >= WARN_EVERY_NANOS) {
      lastWarning = now;
      LOG.warn(
          "payload capture: {} failed ({}); records are dropped and counted in {}, inference goes"
              + " on",
          what,
          e.getMessage(),
          DROPPED);
    }
  }

  /** One record as a JSON line: docs/observability.md describes the fields. */
  byte[] line(Captured captured) throws IOException {
    InferenceRequest request = captured.request();
    InferenceResponse response = captured.response();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", captured.time().toString());
      json.writeStringField("model", response.modelName());
      json.writeStringField("version", response.modelVersion());
      if (request.id().isPresent()) {
        json.writeStringField("id", request.id().get());
      }
      if (request.options().trace().isPresent()) {
        json.writeStringField("trace_id", request.options().trace().get().traceId());
      }
      tensors(json, "inputs", request.inputs());
      tensors(json, "outputs", response.outputs());
      json.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  private void tensors(JsonGenerator json, String field, List<Tensor> tensors) throws IOException {
    json.writeArrayFieldStart(field);
    for (Tensor tensor : tensors) {
      json.writeStartObject();
      json.writeStringField("name", tensor.name());
      json.writeStringField("datatype", tensor.dataType().protocolName());
      json.writeArrayFieldStart("shape");
      for (long dim : tensor.shape()) {
        json.writeNumber(dim);
      }
      json.writeEndArray();
      if (settings.redacted().contains(tensor.name())) {
        json.writeBooleanField("redacted", true);
      } else {
        json.writeFieldName("data");
        JsonTensorWriter.writeData(json, tensor);
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Writes what is queued (up to 5 s), then stops the capture thread. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.interrupt();
  }
}
