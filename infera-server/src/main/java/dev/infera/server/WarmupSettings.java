package dev.infera.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The server warm-up before readiness ({@link ServerWarmup}).
 *
 * @param enabled whether the server warms up at all ({@code --warmup})
 * @param cap the longest the warm-up may take ({@code --warmup-secs}); it stops earlier once the
 *     JIT settled
 * @param clients how many client threads send warm-up requests, each keeping {@value
 *     ServerWarmup#IN_FLIGHT} in flight
 * @param window the length of one measuring window of the settling criterion
 * @param minWindows the fewest windows measured before the criterion may stop the warm-up
 * @param minRequests the fewest requests answered before the criterion may stop it (see {@link
 *     JitSettling})
 */
public record WarmupSettings(
    boolean enabled, Duration cap, int clients, Duration window, int minWindows, long minRequests) {
  public static final long DEFAULT_CAP_SECONDS = 10;
  static final int DEFAULT_CLIENTS = 4;
  static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);
  static final int DEFAULT_MIN_WINDOWS = 4;
  static final long DEFAULT_MIN_REQUESTS = 15_000;

  /** No warm-up: readiness turns true as soon as the models are loaded. */
  public static final WarmupSettings OFF =
      new WarmupSettings(
          false,
          Duration.ofSeconds(1),
          DEFAULT_CLIENTS,
          DEFAULT_WINDOW,
          DEFAULT_MIN_WINDOWS,
          DEFAULT_MIN_REQUESTS);

  public WarmupSettings {
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(window, "window");
    if (cap.isNegative() || cap.isZero()) {
      throw new IllegalArgumentException("warm-up cap " + cap + " (expected > 0 seconds)");
    }
    if (clients < 1) {
      throw new IllegalArgumentException("warm-up clients " + clients + " (expected >= 1)");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("warm-up window " + window + " (expected > 0)");
    }
    if (minRequests < 0) {
      throw new IllegalArgumentException("warm-up requests " + minRequests + " (expected >= 0)");
    }
    if (minWindows < 2) {
      throw new IllegalArgumentException("warm-up windows " + minWindows + " (expected >= 2)");
    }
  }

  /** A warm-up that stops when the JIT settled, or after {@code cap}. */
  public static WarmupSettings capped(Duration cap) {
    return new WarmupSettings(
        true, cap, DEFAULT_CLIENTS, DEFAULT_WINDOW, DEFAULT_MIN_WINDOWS, DEFAULT_MIN_REQUESTS);
  }
}
