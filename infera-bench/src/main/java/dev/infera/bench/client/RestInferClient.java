package dev.infera.bench.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.TensorMeta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * KServe v2 REST over HTTP/1.1 keep-alive connections, JSON or with the binary tensor data
 * extension. The request (head and body) is encoded once into one direct buffer that every send
 * writes; concurrency N means N connections, as with {@code wrk -c N}, run by one event-loop thread
 * by default (as {@code wrk -t1}) or by several.
 */
public final class RestInferClient implements InferClient {
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /**
   * For the metadata and a failed request's detail. HTTP/1.1, as the load itself: the JDK client's
   * h2c upgrade can lose part of a large first answer (docs/clients.md).
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final String hostPort;
  private final String model;
  private final boolean binary;
  private final Duration timeout;
  private final Http1Connections connections;
  private volatile ByteBuf request;
  private volatile List<InputTensor> prepared = List.of();

  /**
   * @param hostPort the server's HTTP address, {@code host:port}
   * @param binary whether to use the binary tensor data extension
   * @param ioThreads the event-loop threads that run the connections, at least 1
   */
  public RestInferClient(
      String hostPort, String model, boolean binary, Duration timeout, int ioThreads) {
    int colon = hostPort.lastIndexOf(':');
    this.hostPort = hostPort;
    this.model = model;
    this.binary = binary;
    this.timeout = timeout;
    this.connections =
        new Http1Connections(
            hostPort.substring(0, colon),
            Integer.parseInt(hostPort.substring(colon + 1)),
            timeout,
            ioThreads);
  }

  @Override
  public List<TensorMeta> metadata() {
    String path = "/v2/models/" + model;
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                  .timeout(timeout)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      String why =
          e instanceof java.net.ConnectException
              ? "nothing answers at "
                  + hostPort
                  + " (is the server running, and is this its REST port?)"
              : e.getMessage() != null ? e.getMessage() : "the connection failed";
      throw new IllegalStateException("model '" + model + "': GET " + path + " failed: " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("model '" + model + "': interrupted reading metadata");
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "model '"
              + model
              + "': GET "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return MetadataJson.inputs(model, response.body());
  }

  @Override
  public void prepare(List<InputTensor> inputs) {
    prepared = List.copyOf(inputs);
    byte[] bytes = encode(inputs);
    request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
  }

  /** The whole HTTP/1.1 request: head and body. */
  byte[] encode(List<InputTensor> inputs) {
    Body body = body(inputs);
    StringBuilder head =
        new StringBuilder("POST /v2/models/")
            .append(model)
            .append("/infer HTTP/1.1\r\nHost: ")
            .append(hostPort)
            .append("\r\n");
    body.headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.bytes().length).append("\r\n\r\n");
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
    whole.writeBytes(body.bytes());
    return whole.toByteArray();
  }

  /** A request body and the headers that describe it (besides its length). */
  private record Body(byte[] bytes, java.util.Map<String, String> headers) {}

  private Body body(List<InputTensor> inputs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    if (binary) {
      byte[] header = JsonRequestBody.binaryHeader(inputs);
      bytes.writeBytes(header);
      for (InputTensor input : inputs) {
        bytes.writeBytes(input.raw());
      }
      headers.put("Content-Type", "application/octet-stream");
      headers.put(HEADER_LENGTH, Integer.toString(header.length));
    } else {
      bytes.writeBytes(JsonRequestBody.json(inputs));
      headers.put("Content-Type", "application/json");
    }
    return new Body(bytes.toByteArray(), headers);
  }

  @Override
  public CompletableFuture<String> send() {
    return connections
        .send(request)
        .thenApply(
            outcome ->
                outcome instanceof Integer status
                    ? (status == 200 ? null : "http " + status)
                    : (String) outcome);
  }

  @Override
  public String failureDetail() {
    Body body = body(prepared);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/models/" + model + "/infer"))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
    body.headers().forEach(request::header);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return "";
      }
      return new ObjectMapper().readTree(response.body()).path("error").asText(response.body());
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public void close() {
    connections.close();
  }
}
