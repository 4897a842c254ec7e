package dev.infera.core.routing.rollout;

import dev.infera.core.routing.TrafficPolicy;
import java.util.List;
import java.util.Map;

/**
 * Everything about traffic that survives a restart: each model's traffic policy, its latest
 * rollout, and the history of every decision.
 */
public record RoutingState(
    Map<String, TrafficPolicy> policies,
    Map<String, RolloutStatus> rollouts,
    Map<String, List<Decision>> history) {

  public static final RoutingState EMPTY = new RoutingState(Map.of(), Map.of(), Map.of());

  public RoutingState {
    policies = Map.copyOf(policies);
    rollouts = Map.copyOf(rollouts);
    history = Map.copyOf(history);
  }
}
