package dev.infera.server.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infera.batch.jobs.JobSettings;
import dev.infera.core.repository.LocalModelRepository;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.observability.ObservabilityOptions;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch jobs on a running server (/v2/jobs) over real HTTP, and their outputs against the server's
 * own answers over REST for the same rows, bit for bit.
 */
class BatchJobsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path jobs;
  private static InferaServer server;

  @BeforeAll
  static void start() throws Exception {
    Path examples = Paths.get("..", "examples", "models").toAbsolutePath().normalize();
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(examples),
            ObservabilityOptions.NONE,
            new LocalModelRepository(examples),
            Optional.of(JobSettings.defaults(jobs)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static float[][] features(int rows, long seed) {
    Random random = new Random(seed);
    float[][] out = new float[rows][64];
    for (float[] row : out) {
      for (int i = 0; i < 64; i++) {
        row[i] = random.nextFloat() * 4 - 2;
      }
    }
    return out;
  }

  private static void csv(Path file, float[][] rows) throws Exception {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      StringBuilder header = new StringBuilder("id");
      for (int i = 0; i < 64; i++) {
        header.append(",f").append(i);
      }
      out.write(header + "\n");
      for (int r = 0; r < rows.length; r++) {
        StringBuilder line = new StringBuilder("r").append(r);
        for (float v : rows[r]) {
          line.append(',').append(v);
        }
        out.write(line + "\n");
      }
    }
  }

  private static HttpResponse<String> call(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(Duration.ofSeconds(60));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode submit(ObjectNode job) throws Exception {
    HttpResponse<String> response = call("POST", "/v2/jobs", job.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body());
  }

  private static JsonNode awaitFinished(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      JsonNode status = JSON.readTree(call("GET", "/v2/jobs/" + id, null).body());
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status.get("state").asText())) {
        return status;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish in time");
  }

  /** The server's REST answers for rows (in requests of up to 100 rows): per row, the values. */
  private static List<List<String>> serverAnswer(String model, String output, float[][] rows)
      throws Exception {
    List<List<String>> all = new ArrayList<>();
    for (int from = 0; from < rows.length; from += 100) {
      all.addAll(
          answerOf(
              model,
              output,
              java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + 100))));
    }
    return all;
  }

  private static List<List<String>> answerOf(String model, String output, float[][] rows)
      throws Exception {
    ObjectNode request = JSON.createObjectNode();
    ObjectNode input = request.putArray("inputs").addObject();
    input.put("name", "features").put("datatype", "FP32");
    input.putArray("shape").add(rows.length).add(64);
    ArrayNode data = input.putArray("data");
    for (float[] row : rows) {
      for (float v : row) {
        data.add(v);
      }
    }
    HttpResponse<String> response =
        call("POST", "/v2/models/" + model + "/infer", request.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    for (JsonNode out : JSON.readTree(response.body()).get("outputs")) {
      if (out.get("name").asText().equals(output)) {
        int width = out.get("data").size() / rows.length;
        List<List<String>> perRow = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
          List<String> values = new ArrayList<>();
          for (int i = 0; i < width; i++) {
            values.add(
                Float.toString(Float.parseFloat(out.get("data").get(r * width + i).asText())));
          }
          perRow.add(values);
        }
        return perRow;
      }
    }
    throw new AssertionError("no output " + output);
  }

  private static List<List<String>> readParts(Path folder, String query) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    List<Path> parts;
    try (Stream<Path> files = Files.list(folder)) {
      parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      for (Path part : parts) {
        try (ResultSet results = statement.executeQuery(query.replace("FILE", part.toString()))) {
          int columns = results.getMetaData().getColumnCount();
          while (results.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
              Object value = results.getObject(i);
              row.add(value instanceof Float f ? Float.toString(f) : String.valueOf(value));
            }
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }

  @Test
  void tabularMlpJobFromCsvEqualsTheServersAnswers() throws Exception {
    float[][] rows = features(300, 21);
    csv(jobs.resolve("mlp.csv"), rows);
    ObjectNode job = JSON.createObjectNode();
    job.put("model", "tabular_mlp").put("input", "mlp.csv").put("output", "mlp-out");
    job.put("partition_rows", 100);

    JsonNode done = awaitFinished(submit(job).get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("rows_out").asLong()).isEqualTo(300);
    // The summary names the files as the client did, relative to the jobs folder.
    assertThat(done.at("/summary/inputs").toString()).isEqualTo("[\"mlp.csv\"]");
    assertThat(done.at("/summary/output").asText()).isEqualTo("mlp-out");
    assertThat(done.toString()).doesNotContain(jobs.toString());
    List<List<String>> out =
        readParts(
            jobs.resolve("mlp-out"),
            "SELECT id, probabilities_0, probabilities_1 FROM read_csv('FILE', all_varchar=true)");
    List<List<String>> expected = serverAnswer("tabular_mlp", "probabilities", rows);
    for (int r = 0; r < rows.length; r++) {
      assertThat(out.get(r).get(0)).isEqualTo("r" + r);
      assertThat(
              List.of(
                  Float.toString(Float.parseFloat(out.get(r).get(1))),
                  Float.toString(Float.parseFloat(out.get(r).get(2)))))
          .as("row %d", r)
          .isEqualTo(expected.get(r));
    }
  }

  @Test
  void xgboostJobToParquetEqualsTheServersAnswers() throws Exception {
    float[][] rows = features(200, 22);
    csv(jobs.resolve("xgb.csv"), rows);
    ObjectNode job = JSON.createObjectNode();
    job.put("model", "xgb_tabular").put("input", "xgb.csv").put("output", "xgb-out");
    job.put("format", "parquet");

    JsonNode done = awaitFinished(submit(job).get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    List<List<String>> out =
        readParts(
            jobs.resolve("xgb-out"),
            "SELECT probabilities_0, probabilities_1, margin FROM read_parquet('FILE')");
    List<List<String>> probabilities = serverAnswer("xgb_tabular", "probabilities", rows);
    List<List<String>> margin = serverAnswer("xgb_tabular", "margin", rows);
    for (int r = 0; r < rows.length; r++) {
      assertThat(out.get(r).subList(0, 2)).isEqualTo(probabilities.get(r));
      assertThat(out.get(r).get(2)).isEqualTo(margin.get(r).get(0));
    }
  }

  @Test
  void stringJobFromJsonLinesEqualsTheServersAnswers() throws Exception {
    List<String> texts = List.of("a", "ü 🚀", "quote \" and \\ backslash", "tab\tnew\nline");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode row = JSON.createObjectNode().put("id", "s" + i).put("INPUT0", texts.get(i));
      lines.append(row).append('\n');
    }
    Files.writeString(jobs.resolve("strings.jsonl"), lines);
    ObjectNode job = JSON.createObjectNode();
    job.put("model", "string_identity").put("input", "strings.jsonl").put("output", "str-out");

    JsonNode done = awaitFinished(submit(job).get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(jobs.resolve("str-out").resolve("part-00000.jsonl"))) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line).get("OUTPUT0").asText());
      }
    }
    ObjectNode request = JSON.createObjectNode();
    ObjectNode input = request.putArray("inputs").addObject();
    input.put("name", "INPUT0").put("datatype", "BYTES");
    input.putArray("shape").add(texts.size()).add(1);
    texts.forEach(input.putArray("data")::add);
    JsonNode answer =
        JSON.readTree(call("POST", "/v2/models/string_identity/infer", request.toString()).body());
    List<String> expected = new ArrayList<>();
    answer.get("outputs").get(0).get("data").forEach(v -> expected.add(v.asText()));
    assertThat(out).isEqualTo(expected).isEqualTo(texts);
  }

  @Test
  void aJobCanBeCancelledListedAndLooksUp() throws Exception {
    csv(jobs.resolve("big.csv"), features(40_000, 23));
    ObjectNode job = JSON.createObjectNode();
    job.put("model", "tabular_mlp").put("input", "big.csv").put("output", "big-out");
    job.put("partition_rows", 1000).put("parallelism", 1);
    String id = submit(job).get("id").asText();

    HttpResponse<String> cancelled = call("DELETE", "/v2/jobs/" + id, null);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    JsonNode done = awaitFinished(id);

    assertThat(done.get("state").asText()).isEqualTo("CANCELLED");
    JsonNode list = JSON.readTree(call("GET", "/v2/jobs", null).body());
    List<String> ids = new ArrayList<>();
    list.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
    assertThat(ids).contains(id);
  }

  @Test
  void badJobRequestsAreRefusedWithTheReason() throws Exception {
    assertRefusedInput("../x.csv", "leaves the jobs folder");
    assertRefusedInput(
        "/etc/passwd", "input is an absolute path (expected a path relative to the jobs folder)");
    assertRefusedInput("in/none.csv", "input 'in/none.csv' does not exist in the jobs folder");
    assertRefusedInput("a\u0000.csv", "a path holds a character no file name can");
    java.nio.file.Files.writeString(jobs.resolve("tiny.csv"), "id,f0\n1,1\n");
    for (String root : List.of(".", "in/..")) {
      ObjectNode job = JSON.createObjectNode();
      job.put("model", "tabular_mlp").put("input", "tiny.csv").put("output", root);
      HttpResponse<String> refused = call("POST", "/v2/jobs", job.toString());
      assertThat(refused.statusCode()).as(root).isEqualTo(400);
      assertThat(refused.body()).contains("is the jobs folder itself (expected a path inside it)");
    }
    java.nio.file.Files.createDirectories(jobs.resolve("in2"));
    java.nio.file.Files.writeString(jobs.resolve("in2/a.csv"), "id,f0\n1,1\n");
    for (String[] pair :
        List.of(
            new String[] {"in2", "in2"}, // the output written among the inputs
            new String[] {"in2/a.csv", "in2"}, // a file inside the output folder
            new String[] {"in2", "in2/out"})) { // the output inside an input folder
      ObjectNode job = JSON.createObjectNode();
      job.put("model", "tabular_mlp").put("input", pair[0]).put("output", pair[1]);
      HttpResponse<String> refused = call("POST", "/v2/jobs", job.toString());
      assertThat(refused.statusCode()).as(pair[0] + " -> " + pair[1]).isEqualTo(400);
      assertThat(refused.body())
          .contains("output '" + pair[1] + "' and input '" + pair[0] + "' overlap");
    }

    HttpResponse<String> missing = call("POST", "/v2/jobs", "{\"model\":\"tabular_mlp\"}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("'output' is required");

    HttpResponse<String> unknownModel =
        call("POST", "/v2/jobs", "{\"model\":\"nope\",\"input\":\"a.csv\",\"output\":\"o\"}");
    assertThat(unknownModel.statusCode()).isEqualTo(404);

    HttpResponse<String> unknownJob = call("GET", "/v2/jobs/nope", null);
    assertThat(unknownJob.statusCode()).isEqualTo(404);
    assertThat(unknownJob.body()).contains("job 'nope' is not found");
  }

  /** A tabular_mlp job reading {@code input} is refused with 400 naming the problem. */
  private static void assertRefusedInput(String input, String mention) throws Exception {
    ObjectNode job = JSON.createObjectNode();
    job.put("model", "tabular_mlp").put("input", input).put("output", "o");
    HttpResponse<String> refused = call("POST", "/v2/jobs", job.toString());
    assertThat(refused.statusCode()).as(input).isEqualTo(400);
    assertThat(refused.body()).contains(mention);
  }

  @Test
  void aServerWithoutAJobsFolderSaysHowToTurnJobsOn() throws Exception {
    Path examples = Paths.get("..", "examples", "models").toAbsolutePath().normalize();
    try (InferaServer plain = InferaServer.start(ServerOptions.onFreePorts(examples))) {
      for (String[] call :
          List.of(
              new String[] {"POST", "/v2/jobs", "{\"model\": \"tabular_mlp\"}"},
              new String[] {"POST", "/v2/jobs", "not JSON"},
              new String[] {"GET", "/v2/jobs", null},
              new String[] {"GET", "/v2/jobs/j1", null},
              new String[] {"DELETE", "/v2/jobs/j1", null})) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.httpPort() + call[1]))
                .method(
                    call[0],
                    call[2] == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call[2]));
        HttpResponse<String> response =
            HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(call[0] + " " + call[1]).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText())
            .as(call[0] + " " + call[1])
            .isEqualTo(
                "batch jobs are off on this server (start it with --jobs-dir DIR, the folder job"
                    + " paths are relative to)");
      }
    }
  }
}
