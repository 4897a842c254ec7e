package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.batch.BatchOptions;
import dev.infera.batch.io.FileFormat;
import dev.infera.batch.jobs.JobManager;
import dev.infera.batch.jobs.JobStatus;
import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Batch jobs on the running server:
 *
 * <pre>
 * POST   /v2/jobs                 201 {job}; body {"model", "input" (path or list), "output", ...}
 * GET    /v2/jobs                 {"jobs": [{job}, ...]}, oldest first
 * GET    /v2/jobs/{id}            {job}: state, rows done/total, rejected, partitions, summary
 * DELETE /v2/jobs/{id}            cancels; {job}
 * POST   /v2/jobs/{id}/cancel     the same
 * </pre>
 *
 * Paths are relative to the server's jobs folder ({@code --jobs-dir}). Failures are {@code
 * {"error": "..."}} with the status from {@link HttpStatusMapping}. Job requests are small: the
 * handlers run on the event loop and never wait for a job.
 */
public final class JobsApi {
  private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);
  private static final Set<String> FIELDS =
      Set.of(
          "model",
          "version",
          "input",
          "output",
          "format",
          "input_columns",
          "output_columns",
          "id_column",
          "partitions",
          "partition_rows",
          "parallelism",
          "resume",
          "max_error_rate");

  private final JobManager jobs;

  public JobsApi(JobManager jobs) {
    this.jobs = jobs;
  }

  /** Adds the routes to {@code sb}. */
  public void mount(ServerBuilder sb) {
    route(sb, "POST", "/v2/jobs", "infera.jobs.submit", (ctx, body) -> submit(body));
    route(sb, "GET", "/v2/jobs", "infera.jobs.list", (ctx, body) -> list());
    route(sb, "GET", "/v2/jobs/{id}", "infera.jobs.status", (ctx, body) -> status(ctx));
    route(sb, "DELETE", "/v2/jobs/{id}", "infera.jobs.cancel", (ctx, body) -> cancel(ctx));
    route(sb, "POST", "/v2/jobs/{id}/cancel", "infera.jobs.cancel", (ctx, body) -> cancel(ctx));
  }

  /**
   * Adds the routes for a server started without {@code --jobs-dir}: each answers
   * FAILED_PRECONDITION saying how to turn jobs on, rather than "no such endpoint".
   */
  public static void mountOff(ServerBuilder sb) {
    Handler off =
        (ctx, body) -> {
          throw new InferenceException(
              ErrorCode.FAILED_PRECONDITION,
              "batch jobs are off on this server (start it with --jobs-dir DIR, the folder job"
                  + " paths are relative to)");
        };
    route(sb, "POST", "/v2/jobs", "infera.jobs.submit", off, false);
    route(sb, "GET", "/v2/jobs", "infera.jobs.list", off, false);
    route(sb, "GET", "/v2/jobs/{id}", "infera.jobs.status", off, false);
    route(sb, "DELETE", "/v2/jobs/{id}", "infera.jobs.cancel", off, false);
    route(sb, "POST", "/v2/jobs/{id}/cancel", "infera.jobs.cancel", off, false);
  }

  private interface Handler {
    HttpResponse handle(ServiceRequestContext ctx, JsonNode body);
  }

  private static void route(
      ServerBuilder sb, String method, String path, String name, Handler handler) {
    route(sb, method, path, name, handler, method.equals("POST"));
  }

  /** A route; {@code readsBody}: the handler gets the body as JSON (else null, body unread). */
  private static void route(
      ServerBuilder sb,
      String method,
      String path,
      String name,
      Handler handler,
      boolean readsBody) {
    HttpService service =
        (ctx, req) ->
            HttpResponse.of(
                req.aggregate()
                    .thenApply(
                        body -> handler.handle(ctx, readsBody ? RepositoryApi.parse(body) : null))
                    .exceptionally(ErrorResponses::of));
    var builder = sb.route();
    switch (method) {
      case "POST" -> builder.post(path);
      case "GET" -> builder.get(path);
      default -> builder.delete(path);
    }
    builder.defaultServiceName(name).build(service);
  }

  private HttpResponse submit(JsonNode body) {
    if (body == null || body.isEmpty()) {
      throw InferenceException.invalidArgument(
          "request body (expected a JSON object with 'model', 'input' and 'output')");
    }
    return json(HttpStatus.CREATED, encode(jobs.submit(options(body))));
  }

  private HttpResponse list() {
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode list = out.putArray("jobs");
    jobs.list().forEach(status -> list.add(encode(status)));
    return json(HttpStatus.OK, out);
  }

  private HttpResponse status(ServiceRequestContext ctx) {
    return json(HttpStatus.OK, encode(jobs.status(ctx.pathParam("id"))));
  }

  private HttpResponse cancel(ServiceRequestContext ctx) {
    return json(HttpStatus.OK, encode(jobs.cancel(ctx.pathParam("id"))));
  }

  static BatchOptions options(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw InferenceException.invalidArgument(
            "unknown field '"
                + field
                + "' (expected some of "
                + FIELDS.stream().sorted().toList()
                + ")");
      }
    }
    String model = text(body, "model").orElseThrow(() -> missing("model"));
    String output = text(body, "output").orElseThrow(() -> missing("output"));
    try {
      List<Path> inputs = strings(body, "input").stream().map(Path::of).toList();
      if (inputs.isEmpty()) {
        throw missing("input");
      }
      return new BatchOptions(
          model,
          text(body, "version"),
          inputs,
          Path.of(output),
          text(body, "format").map(FileFormat::parse),
          strings(body, "input_columns"),
          strings(body, "output_columns"),
          text(body, "id_column"),
          integer(body, "partitions").isPresent()
              ? OptionalInt.of((int) integer(body, "partitions").getAsLong())
              : OptionalInt.empty(),
          integer(body, "partition_rows"),
          (int) integer(body, "parallelism").orElse(BatchOptions.DEFAULT_PARALLELISM),
          bool(body, "resume"),
          number(body, "max_error_rate", 1.0),
          OptionalInt.empty());
    } catch (InvalidPathException e) {
      throw InferenceException.invalidArgument(
          "a path holds a character no file name can ("
              + e.getReason()
              + "; expected paths relative to the jobs folder)");
    } catch (IllegalArgumentException e) {
      throw InferenceException.invalidArgument(e.getMessage());
    }
  }

  private static InferenceException missing(String field) {
    return InferenceException.invalidArgument("field '" + field + "' is required");
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw InferenceException.invalidArgument("field '" + field + "' (expected a string)");
    }
    return Optional.of(value.textValue());
  }

  private static List<String> strings(JsonNode body, String field) {
    JsonNode value = body.get(field);
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) {
      return out;
    }
    if (value.isTextual()) {
      out.add(value.textValue());
      return out;
    }
    if (!value.isArray()) {
      throw InferenceException.invalidArgument(
          "field '" + field + "' (expected a string or a list of strings)");
    }
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw InferenceException.invalidArgument(
            "field '" + field + "' (expected a string or a list of strings)");
      }
      out.add(item.textValue());
    }
    return out;
  }

  private static OptionalLong integer(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return OptionalLong.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw InferenceException.invalidArgument("field '" + field + "' (expected an integer)");
    }
    return OptionalLong.of(value.longValue());
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw InferenceException.invalidArgument("field '" + field + "' (expected true or false)");
    }
    return value.booleanValue();
  }

  private static double number(JsonNode body, String field, double absent) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isNumber()) {
      throw InferenceException.invalidArgument("field '" + field + "' (expected a number)");
    }
    return value.doubleValue();
  }

  private static ObjectNode encode(JobStatus status) {
    ObjectNode job = MAPPER.createObjectNode();
    job.put("id", status.id());
    job.put("model", status.model());
    job.put("state", status.state().name());
    job.put("total_rows", status.totalRows());
    job.put("rows_done", status.rowsDone());
    job.put("rows_out", status.rowsOut());
    job.put("rejected", status.rejected());
    job.put("partitions_done", status.partitionsDone());
    job.put("partitions_total", status.partitionsTotal());
    job.put("submitted", status.submitted().toString());
    status.started().ifPresent(t -> job.put("started", t.toString()));
    status.finished().ifPresent(t -> job.put("finished", t.toString()));
    // Backend text (a native source file, a class name) stays in the server log.
    status.error().ifPresent(e -> job.put("error", ClientMessages.forClient(e)));
    status.summary().ifPresent(s -> job.set("summary", MAPPER.valueToTree(s)));
    return job;
  }

  private static HttpResponse json(HttpStatus status, JsonNode body) {
    try {
      return HttpResponse.of(status, MediaType.JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
