package dev.infera.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.ModelInstance;
import org.junit.jupiter.api.Test;

/**
 * When a caller may claim an idle instance: the permit, an idle instance and the version's pace.
 */
class InstanceClaimsTest {
  private static final long FAST = 20_000;

  private final InstanceClaims claims = new InstanceClaims();
  private final ModelInstance instance = new RecordingInstance();

  @Test
  void aFastLightlyLoadedVersionLetsAPermittedCallerClaimItsIdleInstance() {
    claims.waiting(instance);
    paceOf(FAST, 1);

    assertThat(claimWithPermit()).isSameAs(instance);
    assertThat(claims.isClaimed(instance)).isTrue();
    assertThat(claims.idleCount()).isZero();
    assertThat(claimWithPermit()).as("no instance left idle").isNull();
  }

  @Test
  void noClaimWithoutThePermitOrBeforeAnyBatchRan() {
    claims.waiting(instance);

    assertThat(claimWithPermit()).as("pace unknown").isNull();
    paceOf(FAST, 1);
    assertThat(claims.claim()).as("no permit").isNull();
  }

  @Test
  void oneHeldUpBatchDoesNotCloseTheWayButSlowBatchesDo() {
    claims.waiting(instance);
    paceOf(FAST, 1);

    claims.executed(50_000_000); // one batch held up for 50 ms
    assertThat(claimWithPermit()).isSameAs(instance);
    claims.release(instance, true);

    for (int i = 0; i < 20; i++) {
      claims.executed(3 * InstanceClaims.MAX_BATCH_NANOS);
    }
    assertThat(claimWithPermit()).isNull();
  }

  @Test
  void batchesOfSeveralRequestsOnTheThreadsCloseTheWay() {
    claims.waiting(instance);
    paceOf(FAST, 1);

    for (int i = 0; i < 20; i++) {
      claims.contended(4);
    }
    assertThat(claimWithPermit()).isNull();
    for (int i = 0; i < 40; i++) {
      claims.contended(1);
    }
    assertThat(claimWithPermit()).isSameAs(instance);
  }

  @Test
  void twoRequestsAtATimeCloseTheWay() {
    claims.waiting(instance);
    paceOf(FAST, 1);

    for (int i = 0; i < 20; i++) {
      claims.contended(2); // a caller's request and one that queued while it ran
    }
    assertThat(claimWithPermit()).isNull();
  }

  @Test
  void aReleasedInstanceIsIdleAgainOnlyWhenItsThreadStillWaits() {
    claims.waiting(instance);
    paceOf(FAST, 1);

    claims.release(claimWithPermit(), false);
    assertThat(claims.isClaimed(instance)).isFalse();
    assertThat(claims.idleCount()).isZero();
    claims.waiting(instance);
    claims.release(claimWithPermit(), true);
    assertThat(claims.idleCount()).isEqualTo(1);
    claims.woke(instance);
    assertThat(claims.idleCount()).isZero();
  }

  private ModelInstance claimWithPermit() {
    return CallerRuns.permitting(claims::claim);
  }

  private void paceOf(long nanos, int requests) {
    for (int i = 0; i < 40; i++) {
      claims.executed(nanos);
      claims.contended(requests);
    }
  }
}
