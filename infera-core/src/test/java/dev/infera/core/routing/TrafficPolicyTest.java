package dev.infera.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A traffic policy as the rollout history words it. */
class TrafficPolicyTest {
  @Test
  void describesEveryPartInWords() {
    TrafficPolicy policy =
        new TrafficPolicy(
            List.of(new Variant("fraud", 1, 90), new Variant("fraud", 2, 10)),
            true,
            Optional.of(new Shadow("fraud", 3, 0.2)),
            true);

    assertThat(policy.describe())
        .isEqualTo(
            "split 90 % to 'fraud' version 1, 10 % to 'fraud' version 2; sticky;"
                + " shadow 20 % to 'fraud' version 3; fallback");
  }

  @Test
  void aPinnedPolicyIsOneVariant() {
    assertThat(TrafficPolicy.pinned("m", 4).describe()).isEqualTo("split 100 % to 'm' version 4");
  }
}
