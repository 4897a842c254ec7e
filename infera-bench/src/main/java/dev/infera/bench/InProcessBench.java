package dev.infera.bench;

import ai.onnxruntime.OrtException;
import dev.infera.backend.onnxruntime.OrtErrors;
import dev.infera.backend.xgboost.NativeErrors;
import dev.infera.bench.inprocess.InProcessResult;
import dev.infera.bench.inprocess.OnnxRuntimeLimit;
import dev.infera.bench.inprocess.XgboostLimit;
import dev.infera.bench.report.ResultRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** The in-process limit of a model file at each requested batch size. */
final class InProcessBench {
  private final BenchCommand options;

  InProcessBench(BenchCommand options) {
    this.options = options;
  }

  /** {@code onnxruntime} or {@code xgboost} from the file's extension; null when neither. */
  static String engine(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".onnx")) {
      return "onnxruntime";
    }
    return name.endsWith(".json") || name.endsWith(".ubj") ? "xgboost" : null;
  }

  String run() throws Exception {
    if (!Files.isRegularFile(options.modelFile)) {
      throw new IllegalArgumentException("--model-file '" + options.modelFile + "' is not a file");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    if (engine(options.modelFile).equals("onnxruntime")) {
      try (OnnxRuntimeLimit limit = onnxRuntimeLimit()) {
        for (int batch : options.batchSizes) {
          rows.add(
              ResultRows.of(
                  progress(
                      limit.run(
                          batch,
                          options.threads,
                          options.shapeOverrides(),
                          options.seed,
                          options.warmup(),
                          options.duration()))));
        }
      }
    } else {
      try (XgboostLimit limit = xgboostLimit()) {
        for (int batch : options.batchSizes) {
          rows.add(
              ResultRows.of(
                  progress(
                      limit.run(
                          batch,
                          options.threads,
                          options.seed,
                          options.warmup(),
                          options.duration()))));
        }
      }
    }
    return options.reportFormat().render(rows);
  }

  /** The model file in ONNX Runtime; a file it cannot load is the option's fault. */
  private OnnxRuntimeLimit onnxRuntimeLimit() {
    try {
      return new OnnxRuntimeLimit(options.modelFile, options.intraOpThreads(), options.ortSpinning);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "--model-file "
              + options.modelFile
              + ": ONNX Runtime cannot load it: "
              + OrtErrors.reason(e),
          e);
    }
  }

  /** The model file in XGBoost; a file it cannot load is the option's fault. */
  private XgboostLimit xgboostLimit() {
    try {
      return new XgboostLimit(options.modelFile, options.intraOpThreads());
    } catch (XGBoostError e) {
      throw new IllegalArgumentException(
          "--model-file "
              + options.modelFile
              + ": XGBoost cannot load it: "
              + NativeErrors.summary(e),
          e);
    }
  }

  private static InProcessResult progress(InProcessResult result) {
    System.err.printf(
        Locale.ROOT,
        "infera bench: %s batch %d: %.0f rows/s%n",
        result.engine(),
        result.batchSize(),
        result.rowsPerSecond());
    return result;
  }
}
