package dev.infera.core.lifecycle;

import static dev.infera.core.lifecycle.RepoFixture.ADD_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.metrics.MetricNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model_warmup runs on every instance before a version turns READY. */
class WarmupTest {
  private static final String TWO_INSTANCES = "instance_group [ { count: 2, kind: KIND_CPU } ]\n";

  @TempDir Path repo;
  private RepoFixture fixture;

  @AfterEach
  void close() {
    fixture.close();
  }

  private static String warmup(String data, int batchSize, int count) {
    return "model_warmup [ { name: \"w\" batch_size: "
        + batchSize
        + " count: "
        + count
        + " inputs { key: \"x\" value: { data_type: TYPE_INT32 dims: [ 2 ] "
        + data
        + " } } } ]\n";
  }

  @Test
  void eachSampleRunsCountTimesOnEveryInstanceBeforeReady() {
    fixture =
        new RepoFixture(repo)
            .model("m", ADD_CONFIG + TWO_INSTANCES + warmup("zero_data: true", 4, 3), 1);

    fixture.manager().load("m");

    assertThat(fixture.backend.executions.get()).isEqualTo(6);
    assertThat(fixture.route("m", Optional.empty()).isReady()).isTrue();
    assertThat(fixture.timerCount(MetricNames.MODEL_WARMUP_DURATION, "m", "1")).isEqualTo(1);
  }

  @Test
  void countZeroRunsOnce() {
    fixture = new RepoFixture(repo).model("m", ADD_CONFIG + warmup("random_data: true", 1, 0), 1);

    fixture.manager().load("m");

    assertThat(fixture.backend.executions.get()).isEqualTo(1);
  }

  @Test
  void inputDataFileIsReadFromTheWarmupFolder() throws IOException {
    fixture =
        new RepoFixture(repo)
            .model("m", ADD_CONFIG + warmup("input_data_file: \"x.bin\"", 2, 0), 1);
    byte[] row = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(2).array();
    Files.createDirectories(repo.resolve("m/warmup"));
    Files.write(repo.resolve("m/warmup/x.bin"), row);

    fixture.manager().load("m");

    assertThat(fixture.route("m", Optional.empty()).isReady()).isTrue();
    assertThat(fixture.backend.executions.get()).isEqualTo(1);
  }

  @Test
  void missingDataFileLeavesTheVersionUnavailableWithTheReason() {
    fixture =
        new RepoFixture(repo)
            .model("m", ADD_CONFIG + warmup("input_data_file: \"none.bin\"", 1, 0), 1);

    fixture.manager().load("m");

    assertThat(fixture.manager.statuses("m"))
        .singleElement()
        .satisfies(
            status -> {
              assertThat(status.state()).isEqualTo(ModelState.UNAVAILABLE);
              assertThat(status.reason()).contains("warmup").contains("none.bin");
            });
    assertThat(fixture.counter(MetricNames.MODEL_LOAD_FAILURE, "m", "1")).isEqualTo(1);
  }

  @Test
  void failingWarmupOfANewVersionKeepsTheOldOneServing() {
    fixture = new RepoFixture(repo).model("m", ADD_CONFIG + warmup("zero_data: true", 1, 0), 1);
    fixture.manager().load("m");
    fixture.version("m", 2, "failing");

    fixture.manager.load("m");

    assertThat(fixture.infer("m", Optional.empty()).modelVersion()).isEqualTo("1");
    assertThat(fixture.manager.statuses("m"))
        .filteredOn(status -> status.version().equals("2"))
        .singleElement()
        .satisfies(status -> assertThat(status.reason()).contains("the fake model fails"));
  }
}
