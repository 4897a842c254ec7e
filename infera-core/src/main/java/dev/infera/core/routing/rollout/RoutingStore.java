package dev.infera.core.routing.rollout;

import java.util.Optional;

/**
 * Where the {@link RoutingState} is kept between runs. {@link #save} replaces the stored state
 * atomically: after a crash the store holds either the previous state or the new one, never a mix.
 *
 * <p>Called under the traffic manager's lock, one call at a time.
 */
public interface RoutingStore {
  /** A store that keeps nothing (no {@code --state-dir}). */
  RoutingStore NONE =
      new RoutingStore() {
        @Override
        public Optional<RoutingState> load() {
          return Optional.empty();
        }

        @Override
        public void save(RoutingState state) {}
      };

  Optional<RoutingState> load();

  void save(RoutingState state);
}
