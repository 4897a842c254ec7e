package dev.infera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A KServe v2 REST client over the JDK's HTTP client, with JSON tensors or the binary tensor data
 * extension for every input and output.
 */
final class RestClient implements ProtocolClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final boolean binary;

  RestClient(int port, boolean binary) {
    this.base = "http://127.0.0.1:" + port;
    this.binary = binary;
  }

  /** Sends raw bytes to a path; returns status and body. */
  HttpResponse<byte[]> post(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<byte[]> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String inferPath(String model, String version) {
    return "/v2/models/" + model + (version == null ? "" : "/versions/" + version) + "/infer";
  }

  @Override
  public Reply infer(Call call) {
    ObjectNode body = JSON.createObjectNode();
    if (call.id() != null) {
      body.put("id", call.id());
    }
    if (!call.parameters().isEmpty()) {
      body.set("parameters", JSON.valueToTree(call.parameters()));
    }
    ByteArrayOutputStream binaryPart = new ByteArrayOutputStream();
    ArrayNode inputs = body.putArray("inputs");
    for (Tensor tensor : call.inputs()) {
      ObjectNode input = inputs.addObject();
      input.put("name", tensor.name());
      input.put("datatype", tensor.dataType().name());
      ArrayNode shape = input.putArray("shape");
      Arrays.stream(tensor.shape()).forEach(shape::add);
      if (binary) {
        byte[] bytes = binaryOf(tensor);
        input.putObject("parameters").put("binary_data_size", bytes.length);
        binaryPart.writeBytes(bytes);
      } else {
        input.set("data", jsonData(tensor));
      }
    }
    if (!call.outputs().isEmpty()) {
      ArrayNode outputs = body.putArray("outputs");
      for (String name : call.outputs()) {
        ObjectNode output = outputs.addObject().put("name", name);
        if (binary) {
          output.putObject("parameters").put("binary_data", true);
        }
      }
    } else if (binary) {
      body.with("parameters").put("binary_data_output", true);
    }
    byte[] header = body.toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> response;
    if (binary) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(header);
      all.writeBytes(binaryPart.toByteArray());
      response =
          post(
              inferPath(call.model(), call.version()),
              all.toByteArray(),
              Map.of(
                  "Inference-Header-Content-Length",
                  Integer.toString(header.length),
                  "Content-Type",
                  "application/octet-stream"));
    } else {
      response =
          post(
              inferPath(call.model(), call.version()),
              header,
              Map.of("Content-Type", "application/json"));
    }
    return reply(response);
  }

  static Reply reply(HttpResponse<byte[]> response) {
    byte[] body = response.body();
    if (response.statusCode() != 200) {
      return Reply.failure(outcome(response.statusCode()), errorMessage(body));
    }
    int jsonLength =
        response
            .headers()
            .firstValue("Inference-Header-Content-Length")
            .map(Integer::parseInt)
            .orElse(body.length);
    JsonNode json = readJson(Arrays.copyOf(body, jsonLength));
    List<Tensor> outputs = new ArrayList<>();
    int offset = jsonLength;
    for (JsonNode output : json.get("outputs")) {
      JsonNode size = output.path("parameters").path("binary_data_size");
      if (size.isMissingNode()) {
        outputs.add(TestTensors.fromJson(output));
      } else {
        byte[] bytes = Arrays.copyOfRange(body, offset, offset + size.asInt());
        offset += size.asInt();
        outputs.add(fromBinary(output, bytes));
      }
    }
    return new Reply(
        Outcome.OK,
        null,
        json.path("model_name").asText(null),
        json.path("model_version").asText(null),
        json.has("id") ? json.get("id").asText() : null,
        outputs);
  }

  static Outcome outcome(int status) {
    return switch (status) {
      case 200 -> Outcome.OK;
      case 400 -> Outcome.INVALID_ARGUMENT;
      case 404 -> Outcome.NOT_FOUND;
      case 503 -> Outcome.UNAVAILABLE;
      case 504 -> Outcome.DEADLINE_EXCEEDED;
      case 413 -> Outcome.RESOURCE_EXHAUSTED;
      case 500 -> Outcome.INTERNAL;
      default -> Outcome.OTHER;
    };
  }

  static String errorMessage(byte[] body) {
    JsonNode json = readJson(body);
    if (!json.has("error") || !json.get("error").isTextual()) {
      throw new AssertionError(
          "error body is not {\"error\": \"...\"}: " + new String(body, StandardCharsets.UTF_8));
    }
    return json.get("error").asText();
  }

  static JsonNode readJson(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  private static JsonNode jsonData(Tensor tensor) {
    ArrayNode data = JSON.createArrayNode();
    if (tensor.dataType() == DataType.BYTES) {
      tensor.elements().forEach(e -> data.add(new String(e, StandardCharsets.UTF_8)));
      return data;
    }
    ByteBuffer buffer = tensor.data();
    for (long i = 0; i < tensor.elementCount(); i++) {
      switch (tensor.dataType()) {
        case BOOL -> data.add(buffer.get() != 0);
        case INT8 -> data.add(buffer.get());
        case UINT8 -> data.add(buffer.get() & 0xff);
        case INT16 -> data.add(buffer.getShort());
        case UINT16 -> data.add(buffer.getShort() & 0xffff);
        case INT32 -> data.add(buffer.getInt());
        case UINT32 -> data.add(buffer.getInt() & 0xffffffffL);
        case INT64 -> data.add(buffer.getLong());
        case FP32 -> data.add(buffer.getFloat());
        case FP64 -> data.add(buffer.getDouble());
        default -> throw new IllegalArgumentException("no JSON for " + tensor.dataType());
      }
    }
    return data;
  }

  /** The binary extension's encoding: raw little-endian, BYTES as 4-byte length + bytes. */
  static byte[] binaryOf(Tensor tensor) {
    if (tensor.dataType() != DataType.BYTES) {
      ByteBuffer data = tensor.data();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return bytes;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] element : tensor.elements()) {
      ByteBuffer length =
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(element.length);
      out.writeBytes(length.array());
      out.writeBytes(element);
    }
    return out.toByteArray();
  }

  private static Tensor fromBinary(JsonNode output, byte[] bytes) {
    String name = output.get("name").asText();
    DataType type = DataType.fromProtocolName(output.get("datatype").asText()).orElseThrow();
    long[] shape = TestTensors.shape(output.get("shape"));
    if (type != DataType.BYTES) {
      return Tensor.of(name, type, shape, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> elements = new ArrayList<>();
    while (buffer.hasRemaining()) {
      byte[] element = new byte[buffer.getInt()];
      buffer.get(element);
      elements.add(element);
    }
    return Tensor.ofBytes(name, shape, elements);
  }

  @Override
  public Metadata metadata(String model, String version) {
    HttpResponse<byte[]> response =
        get("/v2/models/" + model + (version == null ? "" : "/versions/" + version));
    if (response.statusCode() != 200) {
      return new Metadata(
          outcome(response.statusCode()),
          errorMessage(response.body()),
          null,
          List.of(),
          null,
          List.of(),
          List.of());
    }
    JsonNode json = readJson(response.body());
    List<String> versions = new ArrayList<>();
    json.path("versions").forEach(v -> versions.add(v.asText()));
    return new Metadata(
        Outcome.OK,
        null,
        json.get("name").asText(),
        versions,
        json.path("platform").asText(),
        describe(json.get("inputs")),
        describe(json.get("outputs")));
  }

  private static List<String> describe(JsonNode tensors) {
    List<String> described = new ArrayList<>();
    for (JsonNode tensor : tensors) {
      described.add(
          tensor.get("name").asText()
              + ":"
              + tensor.get("datatype").asText()
              + ":"
              + Arrays.toString(TestTensors.shape(tensor.get("shape"))));
    }
    return described;
  }

  @Override
  public boolean serverLive() {
    return get("/v2/health/live").statusCode() == 200;
  }

  @Override
  public boolean serverReady() {
    return get("/v2/health/ready").statusCode() == 200;
  }

  @Override
  public Outcome modelReady(String model, String version) {
    int status =
        get("/v2/models/" + model + (version == null ? "" : "/versions/" + version) + "/ready")
            .statusCode();
    return status == 200 ? Outcome.OK : outcome(status);
  }

  @Override
  public void close() {
    // the JDK client needs no closing on Java 17
  }
}
