package dev.infera.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyRouterTest {
  private final RoutingTable table = FakeVersion.table("m", 1, 2, 3);
  private final ModelRoutes routes = table.model("m").orElseThrow();

  private static TrafficPolicy split(int w1, int w2, boolean sticky) {
    return new TrafficPolicy(
        List.of(new Variant("m", 1, w1), new Variant("m", 2, w2)), sticky, Optional.empty(), true);
  }

  @Test
  void weightsHoldWithinStatisticalTolerance() {
    PolicyRouter router = new PolicyRouter("m", split(30, 70, false));
    int n = 20_000;
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(
          router.choose(table, routes, Optional.empty()).orElseThrow().variant(), 1, Integer::sum);
    }
    double sigma = Math.sqrt(n * 0.3 * 0.7);
    assertThat((double) counts.get("1")).isBetween(n * 0.3 - 5 * sigma, n * 0.3 + 5 * sigma);
  }

  @Test
  void aStickyKeyAlwaysGetsTheSameVariantAndKeysSpreadByWeight() {
    PolicyRouter router = new PolicyRouter("m", split(50, 50, true));
    int second = 0;
    for (int k = 0; k < 2_000; k++) {
      String key = "user-" + k;
      String first = router.choose(table, routes, Optional.of(key)).orElseThrow().variant();
      for (int i = 0; i < 5; i++) {
        assertThat(router.choose(table, routes, Optional.of(key)).orElseThrow().variant())
            .isEqualTo(first);
      }
      second += first.equals("2") ? 1 : 0;
    }
    assertThat(second).isBetween(1_000 - 5 * 23, 1_000 + 5 * 23);
  }

  @Test
  void aNonStableVariantFallsBackToTheStableOne() {
    PolicyRouter router = new PolicyRouter("m", split(0, 100, false));

    Route route = router.choose(table, routes, Optional.empty()).orElseThrow();

    assertThat(route.version().version()).isEqualTo(2);
    assertThat(route.fallback().orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void aVariantThatIsNotReadyIsReplacedByTheStableOne() {
    RoutingTable without2 = FakeVersion.table("m", 1);
    PolicyRouter router = new PolicyRouter("m", split(0, 100, false));

    Route route =
        router.choose(without2, without2.model("m").orElseThrow(), Optional.empty()).orElseThrow();

    assertThat(route.version().version()).isEqualTo(1);
    assertThat(route.variant()).isEqualTo("1");
    assertThat(route.fallback()).isEmpty();
  }

  @Test
  void aRequestNamingAVersionGetsExactlyThatVersion() {
    TrafficPolicy policy = split(100, 0, false);
    Router router = new Router(() -> table, model -> new PolicyRouter(model, policy));

    assertThat(router.route("m", Optional.of("3"), Optional.empty()).version().version())
        .isEqualTo(3);
    assertThat(router.route("m", Optional.empty(), Optional.empty()).version().version())
        .isEqualTo(1);
  }

  @Test
  void weightsNotSummingToHundredAreRefused() {
    InferenceException e =
        catchThrowableOfType(InferenceException.class, () -> split(30, 60, false));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("sum to 90").contains("expected 100");
  }

  @Test
  void aPolicyNamingAnUnknownVersionIsRefused() {
    TrafficPolicy policy =
        new TrafficPolicy(
            List.of(new Variant("m", 1, 50), new Variant("m", 9, 50)),
            false,
            Optional.empty(),
            true);

    InferenceException e =
        catchThrowableOfType(InferenceException.class, () -> policy.checkAgainst(table, "m"));

    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(e.getMessage()).contains("version '9'").contains("not ready");
  }
}
