package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.server.extension.SharedMemoryMessages;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Objects;
import java.util.Optional;

/**
 * Triton's shared memory extension over REST:
 *
 * <pre>
 * GET  /v2/systemsharedmemory[/region/{r}]/status      [{"name","key","offset","byte_size"}]
 * POST /v2/systemsharedmemory/region/{r}/register      body {"key","offset","byte_size"}
 * POST /v2/systemsharedmemory[/region/{r}]/unregister  one region, or every region
 * GET  /v2/cudasharedmemory[/region/{r}]/status        [] (no CUDA region can exist)
 * POST /v2/cudasharedmemory[/region/{r}]/unregister    200 (nothing to unregister)
 * POST /v2/cudasharedmemory/region/{r}/register        501: CUDA shared memory is not offered
 * </pre>
 *
 * Failures are {@code {"error": "..."}}: an unknown region, a key outside the shared memory folder
 * or bytes past the end of the object are 400. Registering maps the object; it runs on the blocking
 * executor, not the event loop.
 */
public final class SharedMemoryApi {
  private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);
  private static final String SYSTEM = "/v2/systemsharedmemory";
  private static final String REGION = SYSTEM + "/region/{region}";
  private static final String CUDA = "/v2/cudasharedmemory";

  private final SharedMemoryRegistry registry;

  public SharedMemoryApi(SharedMemoryRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Adds the routes to {@code sb}. */
  public void mount(ServerBuilder sb) {
    sb.route()
        .get(SYSTEM + "/status")
        .defaultServiceName("kserve.shm.status")
        .build((ctx, req) -> answer(() -> status(Optional.empty())));
    sb.route()
        .get(REGION + "/status")
        .defaultServiceName("kserve.shm.status")
        .build((ctx, req) -> answer(() -> status(Optional.of(region(ctx)))));
    sb.route()
        .post(REGION + "/register")
        .defaultServiceName("kserve.shm.register")
        .build(register());
    sb.route()
        .post(SYSTEM + "/unregister")
        .defaultServiceName("kserve.shm.unregister")
        .build((ctx, req) -> answer(() -> unregister(Optional.empty())));
    sb.route()
        .post(REGION + "/unregister")
        .defaultServiceName("kserve.shm.unregister")
        .build((ctx, req) -> answer(() -> unregister(Optional.of(region(ctx)))));
    HttpService noCuda =
        (ctx, req) ->
            ErrorResponses.of(
                new InferenceException(
                    ErrorCode.UNIMPLEMENTED, SharedMemoryMessages.NO_CUDA_SHARED_MEMORY));
    HttpService noRegions = (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, "[]");
    HttpService nothingToUnregister = (ctx, req) -> HttpResponse.of(HttpStatus.OK);
    for (String prefix : new String[] {CUDA, CUDA + "/region/{region}"}) {
      sb.route().get(prefix + "/status").defaultServiceName("kserve.cudashm").build(noRegions);
      sb.route()
          .post(prefix + "/unregister")
          .defaultServiceName("kserve.cudashm")
          .build(nothingToUnregister);
    }
    sb.route()
        .post(CUDA + "/region/{region}/register")
        .defaultServiceName("kserve.cudashm")
        .build(noCuda);
  }

  private HttpService register() {
    return (ctx, req) ->
        HttpResponse.of(
            req.aggregate()
                .thenApplyAsync(
                    body -> {
                      JsonNode json = RepositoryApi.parse(body);
                      registry.register(
                          region(ctx),
                          text(json, "key"),
                          number(json, "offset", false),
                          number(json, "byte_size", true));
                      return HttpResponse.of(HttpStatus.OK);
                    },
                    ctx.blockingTaskExecutor())
                .exceptionally(ErrorResponses::of));
  }

  private HttpResponse status(Optional<String> region) {
    ArrayNode regions = MAPPER.createArrayNode();
    SharedMemoryMessages.status(registry, region)
        .getRegionsMap()
        .values()
        .forEach(
            r ->
                regions
                    .addObject()
                    .put("name", r.getName())
                    .put("key", r.getKey())
                    .put("offset", r.getOffset())
                    .put("byte_size", r.getByteSize()));
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, MAPPER.writeValueAsBytes(regions));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse unregister(Optional<String> region) {
    region.ifPresentOrElse(registry::unregister, registry::unregisterAll);
    return HttpResponse.of(HttpStatus.OK);
  }

  private static HttpResponse answer(java.util.function.Supplier<HttpResponse> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return ErrorResponses.of(e);
    }
  }

  private static String region(ServiceRequestContext ctx) {
    return ctx.pathParam("region");
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw InferenceException.invalidArgument(
          "register: '"
              + field
              + "' is missing or not a string (expected the object's key, such"
              + " as \"/input_data\")");
    }
    return value.asText();
  }

  private static long number(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null && !required) {
      return 0;
    }
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw InferenceException.invalidArgument(
          "register: '" + field + "' is missing or not a whole number of bytes");
    }
    return value.asLong();
  }
}
