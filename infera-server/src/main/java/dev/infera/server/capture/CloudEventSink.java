package dev.infera.server.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sends captured records to an HTTP sink as CloudEvents 1.0 in batched mode (one POST of {@code
 * application/cloudevents-batch+json} per batch), as KServe's payload logger sends them one by one.
 * Each event: {@code specversion} 1.0, a random {@code id}, {@code source} {@code
 * /infera/models/MODEL/versions/VERSION}, {@code type} {@value #TYPE}, {@code time}, {@code
 * datacontenttype} application/json and the record as {@code data}. Used by the capture thread
 * only; a POST blocks it for at most the timeout.
 */
final class CloudEventSink {
  static final String TYPE = "dev.infera.inference.capture.v1";
  static final MediaType BATCH = MediaType.parse("application/cloudevents-batch+json");
  private static final JsonFactory JSON = new JsonFactory();

  private final URI url;
  private final WebClient client;
  private final List<byte[]> events = new ArrayList<>();
  private final int batchSize;

  CloudEventSink(URI url, int batchSize, Duration timeout) {
    this.url = url;
    this.batchSize = batchSize;
    this.client =
        WebClient.builder(url.getScheme() + "://" + url.getRawAuthority())
            .responseTimeout(timeout)
            .build();
  }

  /** Adds one record; true when the batch is full and should be sent. */
  boolean add(byte[] record, String model, String version, Instant time) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(record.length + 256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("specversion", "1.0");
      json.writeStringField("id", UUID.randomUUID().toString());
      json.writeStringField("source", "/infera/models/" + model + "/versions/" + version);
      json.writeStringField("type", TYPE);
      json.writeStringField("time", time.toString());
      json.writeStringField("datacontenttype", "application/json");
      json.writeFieldName("data");
      json.writeRawValue(new String(record, StandardCharsets.UTF_8).strip());
      json.writeEndObject();
    }
    events.add(out.toByteArray());
    return events.size() >= batchSize;
  }

  /** Events waiting to be sent. */
  int pending() {
    return events.size();
  }

  /**
   * Sends the waiting events as one batch; they are gone afterwards whatever happened.
   *
   * @return how many were sent
   * @throws IOException when the sink did not take them (unreachable, timed out, not 2xx)
   */
  int send() throws IOException {
    if (events.isEmpty()) {
      return 0;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.write(events.get(i));
    }
    body.write(']');
    int count = events.size();
    events.clear();
    String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    AggregatedHttpResponse response;
    try {
      response =
          client
              .execute(
                  HttpRequest.of(
                      RequestHeaders.builder(HttpMethod.POST, path).contentType(BATCH).build(),
                      HttpData.wrap(body.toByteArray())))
              .aggregate()
              .join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("the sink " + url + " did not answer: " + cause, e);
    }
    if (!response.status().isSuccess()) {
      throw new IOException("the sink " + url + " answered " + response.status());
    }
    return count;
  }
}
