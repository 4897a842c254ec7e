package dev.infera.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseSequencerTest {

  @Test
  void holdsALaterCompletionUntilEveryEarlierOneRan() {
    ResponseSequencer sequencer = new ResponseSequencer();
    List<Long> ran = new ArrayList<>();

    sequencer.submit(2, () -> ran.add(2L));
    sequencer.submit(1, () -> ran.add(1L));
    assertThat(ran).isEmpty();

    sequencer.submit(0, () -> ran.add(0L));
    assertThat(ran).containsExactly(0L, 1L, 2L);
  }
}
