package dev.infera.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a job's own files — its manifest and summary — through one mapper, which {@link
 * #preload} builds ahead of the job.
 */
public final class JobFilesJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JobFilesJson() {}

  /**
   * Builds the mapper and its writers for the manifest and the summary on a thread of its own, to
   * overlap other start-up work (loading the model): Jackson's classes and the serializers it makes
   * for these records cost about 0.3 s of a job's first manifest write on a small machine
   * otherwise. A failure is left for the job's own write to report.
   */
  public static void preload() {
    Thread loader = new Thread(JobFilesJson::warm, "infera-batch-json-load");
    loader.setDaemon(true);
    loader.start();
  }

  private static void warm() {
    Manifest manifest =
        new Manifest(
            new Manifest.JobIdentity("model", "1", List.of("input 1 1"), "CSV", 1, List.of("id")),
            Map.of(0, new Manifest.PartitionResult(1, 1, 0, 0.1, Map.of("score", List.of(1, "")))));
    JobSummary summary =
        new JobSummary(
            "model",
            "1",
            List.of("input"),
            "output",
            "CSV",
            1,
            1,
            0,
            0.1,
            10,
            0.1,
            1,
            0,
            List.of(new JobSummary.Partition(0, 1, 1, 0, 0.1, false)),
            Map.of("score", Map.of("count", 1)));
    try {
      MAPPER.writeValue(OutputStream.nullOutputStream(), manifest);
      MAPPER.writeValue(OutputStream.nullOutputStream(), summary);
    } catch (IOException | RuntimeException reportedLater) {
      // the job's own writes report what fails
    }
  }
}
