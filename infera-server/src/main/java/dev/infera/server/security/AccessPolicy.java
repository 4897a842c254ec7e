package dev.infera.server.security;

import com.linecorp.armeria.common.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of which role each endpoint needs, for REST and gRPC. An empty answer means the
 * endpoint is open to everyone (health probes); anything the table does not name needs {@link
 * Role#ADMIN}, so an endpoint added later is closed until it is listed here.
 *
 * <pre>
 * open    GET /v2/health/live, /v2/health/ready       gRPC ServerLive, ServerReady
 * infer   POST /v2/models/{m}[/versions/{v}]/infer    gRPC ModelInfer, ModelStreamInfer
 *         POST /v2/models/{m}/feedback                 gRPC TrafficService/Feedback
 * read    GET /v2, GET /v2/models/**, /v2/repository/index, GET /v2/repository/**,
 *         GET /v2/jobs[/{id}]
 *                                                     gRPC ServerMetadata, ModelMetadata, ModelReady,
 *                                                     ModelConfig, ModelStatistics, RepositoryIndex,
 *                                                     server reflection, TrafficService/GetTraffic,
 *                                                     GetRollout, RolloutHistory
 * admin   POST /v2/repository/models/{m}/load|unload  gRPC RepositoryModelLoad, RepositoryModelUnload
 *         PUT|DELETE /v2/models/{m}/traffic, POST /v2/models/{m}/rollout[/promote|/abort]
 *                                                     gRPC TrafficService/SetTraffic, ClearTraffic,
 *                                                     StartRollout, PromoteRollout, AbortRollout
 *         (not listed: closed to all but admin)
 *         POST /v2/jobs, DELETE /v2/jobs/{id}, POST /v2/jobs/{id}/cancel (jobs read and write files)
 * </pre>
 */
public final class AccessPolicy {
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD);

  /**
   * One row: a method set (empty: any) and a path pattern ({@code *} one segment, {@code **} the
   * rest).
   */
  private record Rule(Set<HttpMethod> methods, String pattern, Optional<Role> role) {
    boolean matches(HttpMethod method, String[] path) {
      return (methods.isEmpty() || methods.contains(method)) && PathPattern.matches(pattern, path);
    }
  }

  private static final List<Rule> HTTP_RULES =
      List.of(
          open("/v2/health/live"),
          open("/v2/health/ready"),
          rule(Set.of(HttpMethod.POST), "/v2/models/*/infer", Role.INFER),
          rule(Set.of(HttpMethod.POST), "/v2/models/*/versions/*/infer", Role.INFER),
          rule(Set.of(HttpMethod.POST), "/v2/models/*/feedback", Role.INFER),
          rule(READS, "/v2", Role.READ),
          rule(READS, "/v2/models/**", Role.READ),
          rule(Set.of(HttpMethod.POST), "/v2/repository/index", Role.READ),
          rule(READS, "/v2/repository/**", Role.READ),
          rule(READS, "/v2/jobs", Role.READ),
          rule(READS, "/v2/jobs/*", Role.READ),
          rule(Set.of(HttpMethod.POST), "/v2/repository/models/*/load", Role.ADMIN),
          rule(Set.of(HttpMethod.POST), "/v2/repository/models/*/unload", Role.ADMIN));

  private static final String KSERVE = "inference.GRPCInferenceService/";

  private static final String TRAFFIC = "infera.traffic.v1.TrafficService/";

  private static final Map<String, Optional<Role>> GRPC_METHODS =
      Map.ofEntries(
          Map.entry(KSERVE + "ServerLive", Optional.empty()),
          Map.entry(KSERVE + "ServerReady", Optional.empty()),
          Map.entry(KSERVE + "ModelInfer", Optional.of(Role.INFER)),
          Map.entry(KSERVE + "ModelStreamInfer", Optional.of(Role.INFER)),
          Map.entry(KSERVE + "ServerMetadata", Optional.of(Role.READ)),
          Map.entry(KSERVE + "ModelMetadata", Optional.of(Role.READ)),
          Map.entry(KSERVE + "ModelReady", Optional.of(Role.READ)),
          Map.entry(KSERVE + "ModelConfig", Optional.of(Role.READ)),
          Map.entry(KSERVE + "ModelStatistics", Optional.of(Role.READ)),
          Map.entry(KSERVE + "RepositoryIndex", Optional.of(Role.READ)),
          Map.entry(TRAFFIC + "Feedback", Optional.of(Role.INFER)),
          Map.entry(TRAFFIC + "GetTraffic", Optional.of(Role.READ)),
          Map.entry(TRAFFIC + "GetRollout", Optional.of(Role.READ)),
          Map.entry(TRAFFIC + "RolloutHistory", Optional.of(Role.READ)),
          Map.entry(
              "grpc.reflection.v1.ServerReflection/ServerReflectionInfo", Optional.of(Role.READ)),
          Map.entry(
              "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
              Optional.of(Role.READ)),
          Map.entry(KSERVE + "RepositoryModelLoad", Optional.of(Role.ADMIN)),
          Map.entry(KSERVE + "RepositoryModelUnload", Optional.of(Role.ADMIN)));

  private AccessPolicy() {}

  /** The role a REST request needs; empty when the endpoint is open. */
  public static Optional<Role> forHttp(HttpMethod method, String path) {
    String[] segments = PathPattern.segments(path);
    for (Rule rule : HTTP_RULES) {
      if (rule.matches(method, segments)) {
        return rule.role();
      }
    }
    return Optional.of(Role.ADMIN);
  }

  /** The role a gRPC call needs, by its full method name ({@code package.Service/Method}). */
  public static Optional<Role> forGrpc(String fullMethodName) {
    return GRPC_METHODS.getOrDefault(fullMethodName, Optional.of(Role.ADMIN));
  }

  private static Rule open(String pattern) {
    return new Rule(Set.of(), pattern, Optional.empty());
  }

  private static Rule rule(Set<HttpMethod> methods, String pattern, Role role) {
    return new Rule(methods, pattern, Optional.of(role));
  }
}
