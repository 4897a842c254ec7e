package dev.infera.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The live counters a job's status and progress display read. */
class JobProgressTest {

  @Test
  void aResumedPartitionCountsItsRowsAsDoneWithWhatItWroteAndRejected() {
    JobProgress progress = new JobProgress();
    progress.planned(300, 3);

    progress.partitionResumed(95, 5);

    assertThat(progress.rowsDone()).isEqualTo(100);
    assertThat(progress.rowsOut()).isEqualTo(95);
    assertThat(progress.rejected()).isEqualTo(5);
    assertThat(progress.partitionsDone()).isEqualTo(1);

    progress.written(50);
    progress.rejectedOne();

    assertThat(progress.rowsDone()).isEqualTo(151);
    assertThat(progress.rowsOut() + progress.rejected()).isEqualTo(151);
    assertThat(progress.rejectedThisRun()).isEqualTo(1);
  }
}
