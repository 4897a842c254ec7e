package dev.infera.server.capture;

import dev.infera.server.logging.LoggedUrls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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
 * @param sink where the records also go as CloudEvents (HTTP POST, batched); empty for files only
 * @param sinkBatch records sent in one POST at most (fewer when no more are waiting)
 */
public record CaptureSettings(
    Set<String> models,
    double rate,
    Path directory,
    long maxFileBytes,
    Duration maxFileAge,
    int maxFiles,
    Set<String> redacted,
    int queueCapacity,
    Optional<URI> sink,
    int sinkBatch) {
  public CaptureSettings {
    Objects.requireNonNull(sink, "sink");
    if (sinkBatch < 1) {
      throw new IllegalArgumentException("capture sink batch " + sinkBatch + " (expected >= 1)");
    }
    sink.ifPresent(
        url -> {
          if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
              || url.getHost() == null) {
            throw new IllegalArgumentException(
                "capture sink '" + url + "' (expected an http:// or https:// URL)");
          }
        });
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

  /** Files only, no CloudEvents sink. */
  public CaptureSettings(
      Set<String> models,
      double rate,
      Path directory,
      long maxFileBytes,
      Duration maxFileAge,
      int maxFiles,
      Set<String> redacted,
      int queueCapacity) {
    this(
        models,
        rate,
        directory,
        maxFileBytes,
        maxFileAge,
        maxFiles,
        redacted,
        queueCapacity,
        Optional.empty(),
        100);
  }

  /** These settings with records also sent to {@code url} as CloudEvents, up to {@code batch}. */
  public CaptureSettings withSink(URI url, int batch) {
    return new CaptureSettings(
        models,
        rate,
        directory,
        maxFileBytes,
        maxFileAge,
        maxFiles,
        redacted,
        queueCapacity,
        Optional.of(url),
        batch);
  }

  /** Whether {@code model}'s requests are captured. */
  public boolean watches(String model) {
    return models.contains("*") || models.contains(model);
  }

  /** As the effective configuration logs it: the sink's credentials and query masked. */
  @Override
  public String toString() {
    return "CaptureSettings[models="
        + models
        + ", rate="
        + rate
        + ", directory="
        + directory
        + ", maxFileBytes="
        + maxFileBytes
        + ", maxFileAge="
        + maxFileAge
        + ", maxFiles="
        + maxFiles
        + ", redacted="
        + redacted
        + ", queueCapacity="
        + queueCapacity
        + ", sink="
        + sink.map(LoggedUrls::shown).orElse("none")
        + ", sinkBatch="
        + sinkBatch
        + "]";
  }
}
