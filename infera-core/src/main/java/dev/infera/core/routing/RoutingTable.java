package dev.infera.core.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every known model's serving versions. The lifecycle publishes a new
 * table whenever what serves changes (a load, a swap, an unload); routing reads the latest one
 * without locks. A swap publishes the table holding the new versions before it retires the old
 * ones, so a reader that finds a version no longer READY finds its successor in a newer table.
 */
public final class RoutingTable {
  public static final RoutingTable EMPTY = new RoutingTable(Map.of());

  private final Map<String, ModelRoutes> models;

  private RoutingTable(Map<String, ModelRoutes> models) {
    this.models = models;
  }

  /** The entry of a model known to the lifecycle (loaded, failed or unloaded). */
  public Optional<ModelRoutes> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** Every model's entry by name. */
  public Map<String, ModelRoutes> models() {
    return models;
  }

  /** A table with this model's entry replaced. */
  public RoutingTable with(ModelRoutes routes) {
    Map<String, ModelRoutes> next = new HashMap<>(models);
    next.put(routes.name(), routes);
    return new RoutingTable(Map.copyOf(next));
  }

  /** A table without this model. */
  public RoutingTable without(String name) {
    if (!models.containsKey(name)) {
      return this;
    }
    Map<String, ModelRoutes> next = new HashMap<>(models);
    next.remove(name);
    return new RoutingTable(Map.copyOf(next));
  }
}
