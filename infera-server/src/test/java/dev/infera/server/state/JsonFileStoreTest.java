package dev.infera.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.routing.Shadow;
import dev.infera.core.routing.TrafficPolicy;
import dev.infera.core.routing.Variant;
import dev.infera.core.routing.rollout.Check;
import dev.infera.core.routing.rollout.Criteria;
import dev.infera.core.routing.rollout.Decision;
import dev.infera.core.routing.rollout.Judgement;
import dev.infera.core.routing.rollout.RolloutSpec;
import dev.infera.core.routing.rollout.RolloutStatus;
import dev.infera.core.routing.rollout.RoutingState;
import dev.infera.core.routing.rollout.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileStoreTest {
  @TempDir Path dir;

  @Test
  void whatIsSavedIsLoadedBackAndNoTemporaryFileIsLeft() throws Exception {
    TrafficPolicy policy =
        new TrafficPolicy(
            List.of(new Variant("m", 1, 80), new Variant("other", 3, 20)),
            true,
            Optional.of(new Shadow("m", 2, 0.5)),
            true);
    RolloutSpec spec =
        new RolloutSpec("m", 1, 2, List.of(5, 50, 100), 60_000, 3, Criteria.DEFAULTS, "ops");
    Judgement judgement =
        new Judgement(
            Verdict.PASS,
            List.of(
                new Check(
                    "latency", Verdict.PASS, Map.of("p99_ratio", 1.1, "p", Double.NaN), "fine")),
            1234);
    RolloutStatus status =
        new RolloutStatus(
            spec,
            dev.infera.core.routing.rollout.RolloutState.RUNNING,
            1,
            50,
            1000,
            0,
            "",
            Optional.of(judgement),
            2000);
    Decision decision =
        new Decision(2000, "step", "judge", 1, 2, 1, 50, "step 1 passed", Optional.of(judgement));
    RoutingState state =
        new RoutingState(Map.of("m", policy), Map.of("m", status), Map.of("m", List.of(decision)));

    new JsonFileStore(dir).save(state);
    RoutingState loaded = new JsonFileStore(dir).load().orElseThrow();

    assertThat(loaded.policies()).isEqualTo(state.policies());
    assertThat(loaded.rollouts().get("m").spec()).isEqualTo(spec);
    assertThat(loaded.rollouts().get("m").step()).isEqualTo(1);
    assertThat(loaded.history().get("m").get(0).reason()).isEqualTo("step 1 passed");
    assertThat(loaded.history().get("m").get(0).judgement().orElseThrow().checks().get(0).figures())
        .containsEntry("p99_ratio", 1.1);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("traffic.json");
    }
  }

  @Test
  void anEmptyDirectoryHasNoState() {
    assertThat(new JsonFileStore(dir.resolve("new")).load()).isEmpty();
  }
}
