package dev.infera.bench.client;

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

  private final String hostPort;
  private final String model;
  private final boolean binary;
  private final Duration timeout;
  private final Http1Connections connections;
  private volatile ByteBuf request;

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
          HttpClient.newHttpClient()
              .send(
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
    byte[] bytes = encode(inputs);
    request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
  }

  /** The whole HTTP/1.1 request: head and body. */
  byte[] encode(List<InputTensor> inputs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    StringBuilder head =
        new StringBuilder("POST /v2/models/")
            .append(model)
            .append("/infer HTTP/1.1\r\nHost: ")
            .append(hostPort)
            .append("\r\n");
    if (binary) {
      byte[] header = JsonRequestBody.binaryHeader(inputs);
      body.writeBytes(header);
      for (InputTensor input : inputs) {
        body.writeBytes(input.raw());
      }
      head.append("Content-Type: application/octet-stream\r\n")
          .append(HEADER_LENGTH)
          .append(": ")
          .append(header.length)
          .append("\r\n");
    } else {
      body.writeBytes(JsonRequestBody.json(inputs));
      head.append("Content-Type: application/json\r\n");
    }
    head.append("Content-Length: ").append(body.size()).append("\r\n\r\n");
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
    whole.writeBytes(body.toByteArray());
    return whole.toByteArray();
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
  public void close() {
    connections.close();
  }
}
