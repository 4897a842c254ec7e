package dev.infera.server.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotation of capture files by size, by age, and across restarts. */
class CaptureFilesTest {
  @TempDir Path dir;

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-11-30T07:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private CaptureSettings settings(long maxBytes, int maxFiles) {
    return new CaptureSettings(
        Set.of("*"), 1.0, dir, maxBytes, Duration.ofMinutes(10), maxFiles, Set.of(), 10);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] line(int length) {
    return ("x".repeat(length - 1) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFileIsClosedWhenTheNextLineWouldPassItsSizeAndTheOldestGoBeyondMaxFiles() throws Exception {
    try (CaptureFiles files = new CaptureFiles(settings(1024, 2), new MovableClock())) {
      for (int i = 0; i < 7; i++) {
        files.append(line(400)); // two lines a file
      }
    }

    assertThat(names()).containsExactly("capture-000003.jsonl", "capture-000004.jsonl");
    assertThat(Files.size(dir.resolve("capture-000003.jsonl"))).isEqualTo(800);
    assertThat(Files.size(dir.resolve("capture-000004.jsonl"))).isEqualTo(400);
  }

  @Test
  void aFileIsClosedOnceItIsMaxFileAgeOld() throws Exception {
    MovableClock clock = new MovableClock();
    try (CaptureFiles files = new CaptureFiles(settings(1 << 20, 5), clock)) {
      files.append(line(10));
      clock.now = clock.now.plus(Duration.ofMinutes(9));
      files.append(line(10));
      clock.now = clock.now.plus(Duration.ofMinutes(1));
      files.append(line(10));
    }

    assertThat(names()).containsExactly("capture-000001.jsonl", "capture-000002.jsonl");
  }

  @Test
  void aRestartContinuesTheNewestFileWhileItHasRoom() throws Exception {
    try (CaptureFiles files = new CaptureFiles(settings(1024, 5), new MovableClock())) {
      files.append(line(600));
    }
    try (CaptureFiles files = new CaptureFiles(settings(1024, 5), new MovableClock())) {
      files.append(line(300));
      files.append(line(300));
    }

    assertThat(names()).containsExactly("capture-000001.jsonl", "capture-000002.jsonl");
    assertThat(Files.size(dir.resolve("capture-000001.jsonl"))).isEqualTo(900);
  }
}
