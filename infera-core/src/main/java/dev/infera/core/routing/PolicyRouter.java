package dev.infera.core.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link VersionRouter} following a {@link TrafficPolicy}: picks a variant by weight (by the
 * routing key's hash when the policy is sticky and the request has a key, else at random), falls
 * back to the stable variant when the picked one is not READY, and samples the shadow copies.
 *
 * <p>Immutable; a new router replaces it when the policy changes.
 */
public final class PolicyRouter implements VersionRouter {
  /** Buckets a key hashes into; a variant of weight w percent owns w × 100 of them. */
  static final int BUCKETS = 10_000;

  private final String model;
  private final TrafficPolicy policy;
  private final int[] upperBounds;

  public PolicyRouter(String model, TrafficPolicy policy) {
    this.model = model;
    this.policy = policy;
    List<Variant> split = policy.split();
    this.upperBounds = new int[split.size()];
    int bound = 0;
    for (int i = 0; i < split.size(); i++) {
      bound += split.get(i).weight() * (BUCKETS / 100);
      upperBounds[i] = bound;
    }
  }

  public TrafficPolicy policy() {
    return policy;
  }

  @Override
  public Optional<Route> choose(RoutingTable table, ModelRoutes routes, Optional<String> key) {
    Variant picked = pick(key);
    Optional<RoutedVersion> stable = resolve(table, policy.stable());
    Optional<RoutedVersion> chosen = resolve(table, picked);
    String variant = picked.name(model);
    if (chosen.isEmpty()) {
      chosen = stable.or(routes::highestReady);
      if (chosen.isEmpty()) {
        return Optional.empty();
      }
      variant = Variant.name(model, chosen.get().model(), chosen.get().version());
    }
    Optional<RoutedVersion> fallback =
        policy.fallback() && stable.isPresent() && stable.get() != chosen.get()
            ? stable
            : Optional.empty();
    Optional<RoutedVersion> shadow = Optional.empty();
    if (policy.shadow().isPresent()
        && ThreadLocalRandom.current().nextDouble() < policy.shadow().get().fraction()) {
      Shadow target = policy.shadow().get();
      shadow = table.model(target.model()).flatMap(r -> r.readyVersion(target.version()));
    }
    return Optional.of(new Route(chosen.get(), variant, fallback, shadow));
  }

  /** The variant a request goes to. */
  Variant pick(Optional<String> key) {
    int bucket =
        policy.sticky() && key.isPresent()
            ? bucketOf(key.get())
            : ThreadLocalRandom.current().nextInt(BUCKETS);
    List<Variant> split = policy.split();
    for (int i = 0; i < upperBounds.length; i++) {
      if (bucket < upperBounds[i]) {
        return split.get(i);
      }
    }
    return split.get(split.size() - 1);
  }

  /** A key's bucket: a 64-bit FNV-1a hash of its UTF-8 bytes, mixed, modulo the bucket count. */
  static int bucketOf(String key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    return (int) Long.remainderUnsigned(hash, BUCKETS);
  }

  private static Optional<RoutedVersion> resolve(RoutingTable table, Variant variant) {
    return table.model(variant.model()).flatMap(r -> r.readyVersion(variant.version()));
  }
}
