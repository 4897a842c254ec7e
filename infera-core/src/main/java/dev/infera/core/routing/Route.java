package dev.infera.core.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one request goes: the version that answers it, the variant it counts for, the stable
 * version it is retried on once when that version fails, and the version that gets a shadow copy.
 *
 * @param version the version that answers
 * @param variant the name the answer counts under in metrics and rollout windows ({@link
 *     Variant#name})
 * @param fallback the stable version a failed answer is retried on; empty when none (the request
 *     named a version, the policy has no fallback, or the answering version is the stable one)
 * @param shadow the version a copy of the request goes to; its answer is compared, never returned
 */
public record Route(
    RoutedVersion version,
    String variant,
    Optional<RoutedVersion> fallback,
    Optional<RoutedVersion> shadow) {

  public Route {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(shadow, "shadow");
  }

  /** A route to one version with no fallback and no shadow. */
  public static Route of(RoutedVersion version) {
    return new Route(
        version,
        Variant.name(version.model(), version.model(), version.version()),
        Optional.empty(),
        Optional.empty());
  }
}
