package dev.infera.core.routing;

import java.util.Optional;

/**
 * The policy choosing which version answers a request that names no version. A request naming a
 * version always gets exactly that version; policies never see it.
 *
 * <p>Implementations are immutable or thread-safe: any request thread calls {@link #choose}.
 */
@FunctionalInterface
public interface VersionRouter {

  /** The default policy: the highest READY version. */
  VersionRouter HIGHEST_READY = (table, routes, key) -> routes.highestReady().map(Route::of);

  /**
   * @param table the routing table the choice reads (for variants that are other models)
   * @param routes the requested model's entry in {@code table}
   * @param key the request's routing key, for sticky assignment; empty when it sent none
   * @return the chosen READY version with its fallback and shadow; empty when none of the policy's
   *     versions is READY
   */
  Optional<Route> choose(RoutingTable table, ModelRoutes routes, Optional<String> key);
}
