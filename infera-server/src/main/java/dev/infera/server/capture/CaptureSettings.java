package dev.infera.server.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What payload capture records and where.
 *
 * @param models the models whose requests are captured; {@code *} for every model
 * @param rate the fraction of their answered requests captured, in (0, 1]
 * @param directory where the JSON Lines files go
 * @param maxFileBytes a file is closed and a new one started once it holds this many bytes
 * @param maxFileAge a file is closed and a new one started once it is this old
 * @param maxFiles files kept at most; the oldest is deleted when a new one would exceed it
 * @param redacted input and output names whose data is never written (name, type and shape are)
 * @param queueCapacity records waiting to be written at most; more are dropped and counted
 */
public record CaptureSettings(
    Set<String> models,
    double rate,
    Path directory,
    long maxFileBytes,
    Duration maxFileAge,
    int maxFiles,
    Set<String> redacted,
    int queueCapacity) {
  public CaptureSettings {
    models = Set.copyOf(models);
    redacted = Set.copyOf(redacted);
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(maxFileAge, "maxFileAge");
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model to capture (expected a name, or *)");
    }
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("capture rate " + rate + " (expected > 0 and <= 1)");
    }
    if (maxFileBytes < 1024) {
      throw new IllegalArgumentException(
          "capture file size " + maxFileBytes + " bytes (expected 1024 or more)");
    }
    if (maxFileAge.isNegative() || maxFileAge.isZero()) {
      throw new IllegalArgumentException("capture file age " + maxFileAge + " (expected > 0)");
    }
    if (maxFiles < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "capture files " + maxFiles + ", queue " + queueCapacity + " (expected 1 or more each)");
    }
  }

  /** Whether {@code model}'s requests are captured. */
  public boolean watches(String model) {
    return models.contains("*") || models.contains(model);
  }
}
