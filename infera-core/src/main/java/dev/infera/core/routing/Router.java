package dev.infera.core.routing;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes a request to a READY version of the latest published {@link RoutingTable}: the version it
 * names, else the one its model's {@link VersionRouter} chooses.
 *
 * <p>Threading: lock-free; reads the table supplier's latest snapshot on every call.
 */
public final class Router {
  private final Supplier<RoutingTable> tables;
  private final Function<String, VersionRouter> policies;

  /**
   * @param tables the lifecycle's latest published table
   * @param policies each model's policy for requests naming no version
   */
  public Router(Supplier<RoutingTable> tables, Function<String, VersionRouter> policies) {
    this.tables = tables;
    this.policies = policies;
  }

  /** A router choosing the highest READY version for every model. */
  public static Router highestReady(Supplier<RoutingTable> tables) {
    return new Router(tables, model -> VersionRouter.HIGHEST_READY);
  }

  /** The latest published table. */
  public RoutingTable table() {
    return tables.get();
  }

  /**
   * The version a request goes to: the given version when it is READY, else the policy's choice.
   *
   * @throws InferenceException NOT_FOUND for an unknown model or version, or a model not loaded;
   *     UNAVAILABLE (with the reason) when the model should serve but has no ready version;
   *     INVALID_ARGUMENT for a version that is not a number
   */
  public Route route(String model, Optional<String> version, Optional<String> key) {
    while (true) {
      RoutingTable snapshot = tables.get();
      try {
        return routeIn(snapshot, model, version, key);
      } catch (InferenceException e) {
        // A swap publishes the new table before it retires the old versions, so a snapshot
        // whose versions stopped being READY while it was read has a successor: route again.
        if (snapshot == tables.get()) {
          throw e;
        }
      }
    }
  }

  /**
   * Routes as {@link #route} does and takes a lease on the version, which the caller returns with
   * {@link RoutedVersion#release} once the request is queued (the fallback and shadow versions are
   * not leased: whoever uses them leases them). A version holding leases is not stopped, so a
   * request routed during a swap still runs.
   */
  public Route acquire(String model, Optional<String> version, Optional<String> key) {
    while (true) {
      Route routed = route(model, version, key);
      if (routed.version().tryAcquire()) {
        return routed;
      }
      // It left the routing table since it was read: the table now holds its successor.
    }
  }

  private Route routeIn(
      RoutingTable table, String model, Optional<String> requested, Optional<String> key) {
    ModelRoutes routes =
        table
            .model(model)
            .orElseThrow(
                () ->
                    new InferenceException(
                        ErrorCode.NOT_FOUND,
                        // Triton's wording, which its clients' examples check
                        "Request for unknown model: model '" + model + "' is not found"));
    if (requested.isPresent()) {
      parseVersion(model, requested.get());
      if (routes.ready().isEmpty()) {
        // The model's state decides, as without a version: a version of a model that is not
        // loaded is not found, one of a model still loading (or failed) is unavailable.
        throw notServing(model, routes);
      }
      return Route.of(exactly(routes, requested.get()));
    }
    Optional<Route> chosen = policies.apply(model).choose(table, routes, key);
    if (chosen.isPresent()) {
      return chosen.get();
    }
    throw notServing(model, routes);
  }

  /**
   * Why a model serves nothing: NOT_FOUND when it is not loaded (unloaded, or never asked for),
   * UNAVAILABLE when it should serve but has no ready version (loading, or its load failed).
   */
  private static InferenceException notServing(String model, ModelRoutes routes) {
    String failure = routes.failure();
    if (!routes.wanted()) {
      return new InferenceException(
          ErrorCode.NOT_FOUND,
          "model '" + model + "' is not loaded" + (failure.isEmpty() ? "" : ": " + failure));
    }
    return new InferenceException(
        ErrorCode.UNAVAILABLE,
        "model '" + model + "' has no ready version" + (failure.isEmpty() ? "" : ": " + failure));
  }

  /** The named version, which must be READY. */
  public static RoutedVersion exactly(ModelRoutes routes, String requested) {
    long number = parseVersion(routes.name(), requested);
    return routes
        .readyVersion(number)
        .orElseThrow(
            () -> {
              String reason = routes.versionFailures().get(number);
              return new InferenceException(
                  ErrorCode.NOT_FOUND,
                  "model '"
                      + routes.name()
                      + "' version '"
                      + requested
                      + "' is not ready"
                      + (reason != null
                          ? ": " + reason
                          : " (ready versions: " + readyList(routes) + ")"));
            });
  }

  /** A version number as requests write it: a non-negative integer. */
  public static long parseVersion(String model, String text) {
    try {
      long number = Long.parseLong(text);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InferenceException(
        ErrorCode.INVALID_ARGUMENT,
        "model '" + model + "': version '" + text + "' (expected a non-negative integer)");
  }

  private static List<Long> readyList(ModelRoutes routes) {
    return routes.ready().stream().map(RoutedVersion::version).toList();
  }
}
