package dev.infera.core.lifecycle;

import static dev.infera.core.lifecycle.RepoFixture.ADD_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request routed to a version just before it is swapped out still runs there: the version stops
 * only once the leases taken by routing are returned.
 */
class VersionLeaseTest {
  @TempDir Path repo;
  private RepoFixture fixture;

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void retiredVersionWaitsForItsLeasesBeforeStopping() throws Exception {
    fixture = new RepoFixture(repo).model("m", ADD_CONFIG, 1);
    fixture.manager().load("m");
    ServingVersion leased = (ServingVersion) fixture.acquire("m");
    fixture.version("m", 2, "add");

    fixture.manager.load("m");

    assertThat(leased.state()).isEqualTo(ModelState.UNLOADING);
    assertThat(leased.closed()).isNotDone();
    ScheduledRequest request =
        new ScheduledRequest(List.of(RepoFixture.x(1, 2)), List.of("y"), 1, 0, Optional.empty());
    ExecutionResult result = leased.scheduler().enqueue(request).get(10, TimeUnit.SECONDS);
    leased.release();
    leased.closed().get(10, TimeUnit.SECONDS);
    assertThat(result.outputs().get(0).data().getInt(0)).isEqualTo(2);
    assertThat(leased.state()).isEqualTo(ModelState.UNAVAILABLE);
  }

  @Test
  void acquireAfterASwapGetsTheSuccessor() {
    fixture = new RepoFixture(repo).model("m", ADD_CONFIG, 1);
    fixture.manager().load("m");
    fixture.version("m", 2, "add");
    fixture.manager.load("m");

    ServingVersion leased = (ServingVersion) fixture.acquire("m");
    leased.release();

    assertThat(leased.version()).isEqualTo(2);
  }

  @Test
  void retiredVersionRefusesNewLeases() {
    fixture = new RepoFixture(repo).model("m", ADD_CONFIG, 1);
    fixture.manager().load("m");
    RoutedVersion old = fixture.route("m", Optional.empty());
    fixture.version("m", 2, "add");
    fixture.manager.load("m");

    assertThat(old.tryAcquire()).isFalse();
  }
}
