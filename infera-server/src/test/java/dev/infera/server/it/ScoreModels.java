package dev.infera.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Repositories of the scoring model of it/rollout: version 1 is {@code score.onnx}, version 2 a
 * variant that differs in a controlled way (identical, shifted, failing, slow).
 */
final class ScoreModels {
  static final double[] WEIGHTS = {0.5, -0.25, 1.0, 0.125};
  static final double BIAS = 0.1;

  /** The candidates, by file. */
  enum Candidate {
    SAME("score.onnx"),
    SHIFTED("score_shifted.onnx"),
    FAILING("score_failing.onnx"),
    SLOW("score_slow.onnx");

    final String file;

    Candidate(String file) {
      this.file = file;
    }
  }

  private ScoreModels() {}

  /** Adds model {@code name} with version 1 = score.onnx and version 2 = the candidate. */
  static void add(Path repo, String name, Candidate candidate) {
    try {
      Path model = Files.createDirectories(repo.resolve(name));
      Files.writeString(model.resolve("config.pbtxt"), config(name));
      copy(model, 1, "score.onnx");
      copy(model, 2, candidate.file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path model, int version, String file) throws IOException {
    Path folder = Files.createDirectories(model.resolve(Integer.toString(version)));
    Files.copy(TestRepository.resource("it/rollout/" + file), folder.resolve("model.onnx"));
  }

  static String config(String name) {
    return """
        name: "%s"
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [ { name: "INPUT0", data_type: TYPE_FP32, dims: [ 4 ] } ]
        output [ { name: "OUTPUT0", data_type: TYPE_FP32, dims: [ 1 ] } ]
        dynamic_batching { max_queue_delay_microseconds: 200 }
        version_policy: { all { } }
        """
        .formatted(name);
  }

  /** What score.onnx answers for a row. */
  static double expected(double[] x) {
    double sum = BIAS;
    for (int i = 0; i < 4; i++) {
      sum += WEIGHTS[i] * x[i];
    }
    return sum;
  }
}
