package dev.infera.core.routing;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.RequestValidator;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.resilience.CircuitState;
import dev.infera.core.scheduling.Scheduler;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A routed version with no backend behind it, for routing decisions only. */
public record FakeVersion(String model, long version, boolean isReady) implements RoutedVersion {

  /** A routing table of READY fake versions: {@code model, version, version…}. */
  public static RoutingTable table(String model, long... versions) {
    return add(RoutingTable.EMPTY, model, versions);
  }

  public static RoutingTable add(RoutingTable table, String model, long... versions) {
    NavigableMap<Long, RoutedVersion> map = new TreeMap<>();
    for (long v : versions) {
      map.put(v, new FakeVersion(model, v, true));
    }
    return table.with(new ModelRoutes(model, map, java.util.Map.of(), "", true));
  }

  @Override
  public ModelConfig config() {
    return ModelConfig.getDefaultInstance();
  }

  @Override
  public ModelInterface contract() {
    return new ModelInterface(0, List.of(), List.of());
  }

  @Override
  public RequestValidator validator() {
    throw new UnsupportedOperationException("not used by routing");
  }

  @Override
  public Scheduler scheduler() {
    throw new UnsupportedOperationException("not used by routing");
  }

  @Override
  public VersionMetrics metrics() {
    throw new UnsupportedOperationException("not used by routing");
  }

  @Override
  public CircuitState circuitState() {
    return CircuitState.DISABLED;
  }

  @Override
  public boolean tryAcquire() {
    return true;
  }

  @Override
  public void release() {}
}
