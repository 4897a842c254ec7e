package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ONNX Runtime session settings of one model, read from its configuration {@code parameters}
 * (Triton's ONNX Runtime backend names). Defaults live here and nowhere else:
 *
 * <ul>
 *   <li>{@code intra_op_thread_count}: threads inside one operator, per session. Default (also for
 *       0): {@code max(1, availableProcessors / instanceCount)}, so the instances of a model
 *       together never run more compute threads than there are cores.
 *   <li>{@code inter_op_thread_count}: threads running independent operators in parallel mode.
 *       Default (also for 0): 1.
 *   <li>{@code execution_mode}: {@code 0} or {@code sequential} (default), {@code 1} or {@code
 *       parallel}.
 *   <li>{@code graph_optimization_level}: Triton's {@code optimization.graph.level} numbers, {@code
 *       -1} basic, {@code 0} all (default), {@code 1} extended, {@code 2} disabled; or the names
 *       {@code basic}, {@code all}, {@code extended}, {@code disable}.
 *   <li>{@code enable_mem_arena}, {@code enable_mem_pattern}: {@code 1}/{@code true} (default) or
 *       {@code 0}/{@code false}.
 *   <li>{@code share_session_between_instances}: {@code false} (default): each instance has its own
 *       session; {@code true}: all instances of the model share one session.
 *   <li>{@code allow_spinning}: {@code 0}/{@code false} (default) or {@code 1}/{@code true}.
 *       Whether ONNX Runtime's idle pool threads spin waiting for work. Spinning shaves
 *       microseconds off a dispatch but keeps a core busy between executions, which a server needs
 *       for its network threads and other models; it pays only for a dedicated, compute-bound
 *       model.
 * </ul>
 *
 * <p>Other keys are left alone: model configurations carry parameters for other parts too. Values
 * are trimmed; every bad value is reported at once.
 */
record SessionSettings(
    int intraOpThreads,
    int interOpThreads,
    ExecutionMode executionMode,
    OptLevel optimizationLevel,
    boolean memoryArena,
    boolean memoryPattern,
    boolean shareSession,
    boolean spinning) {

  static final String INTRA_OP_THREADS = "intra_op_thread_count";
  static final String INTER_OP_THREADS = "inter_op_thread_count";
  static final String EXECUTION_MODE = "execution_mode";
  static final String OPTIMIZATION_LEVEL = "graph_optimization_level";
  static final String MEMORY_ARENA = "enable_mem_arena";
  static final String MEMORY_PATTERN = "enable_mem_pattern";
  static final String SHARE_SESSION = "share_session_between_instances";
  static final String ALLOW_SPINNING = "allow_spinning";

  SessionSettings {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "thread counts " + intraOpThreads + ", " + interOpThreads + " (expected >= 1)");
    }
  }

  /** The intra-op thread default: the cores divided among the instances, at least one each. */
  static int defaultIntraOpThreads(int availableProcessors, int instanceCount) {
    return Math.max(1, availableProcessors / Math.max(1, instanceCount));
  }

  /**
   * Reads the settings from a model's parameters.
   *
   * @throws InferenceException {@link ErrorCode#INVALID_ARGUMENT} listing every bad value with the
   *     values expected
   */
  static SessionSettings parse(
      String modelName,
      Map<String, String> parameters,
      int instanceCount,
      int availableProcessors) {
    Parser parser = new Parser(parameters);
    int intra = parser.threads(INTRA_OP_THREADS);
    int inter = parser.threads(INTER_OP_THREADS);
    ExecutionMode mode = parser.executionMode();
    OptLevel level = parser.optimizationLevel();
    boolean arena = parser.flag(MEMORY_ARENA, true);
    boolean pattern = parser.flag(MEMORY_PATTERN, true);
    boolean share = parser.flag(SHARE_SESSION, false);
    boolean spinning = parser.flag(ALLOW_SPINNING, false);
    if (!parser.problems.isEmpty()) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "model '"
              + modelName
              + "': bad ONNX Runtime parameters: "
              + String.join("; ", parser.problems));
    }
    return new SessionSettings(
        intra > 0 ? intra : defaultIntraOpThreads(availableProcessors, instanceCount),
        inter > 0 ? inter : 1,
        mode,
        level,
        arena,
        pattern,
        share,
        spinning);
  }

  /**
   * The cores one instance keeps busy ({@link dev.infera.spi.Backend#coresPerInstance}): its
   * intra-op threads when the parameters set them (times the inter-op threads in parallel mode);
   * empty when they do not (the default divides the cores among the instances), when the instances
   * share one session, or when a value is bad (the load reports it).
   */
  static OptionalInt coresPerInstance(Map<String, String> parameters) {
    Parser parser = new Parser(parameters);
    int intra = parser.threads(INTRA_OP_THREADS);
    int inter = parser.threads(INTER_OP_THREADS);
    ExecutionMode mode = parser.executionMode();
    boolean share = parser.flag(SHARE_SESSION, false);
    if (!parser.problems.isEmpty() || intra == 0 || share) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(mode == ExecutionMode.PARALLEL ? intra * Math.max(1, inter) : intra);
  }

  /** Parses values one by one, collecting problems instead of stopping at the first. */
  private static final class Parser {
    private final Map<String, String> parameters;
    private final List<String> problems = new ArrayList<>();

    Parser(Map<String, String> parameters) {
      this.parameters = parameters;
    }

    private String value(String key) {
      String raw = parameters.get(key);
      return raw == null ? null : raw.trim().toLowerCase(Locale.ROOT);
    }

    /** A thread count; 0 when absent or 0 (meaning: the default). */
    int threads(String key) {
      String value = value(key);
      if (value == null) {
        return 0;
      }
      try {
        int threads = Integer.parseInt(value);
        if (threads >= 0) {
          return threads;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(
          key + " '" + parameters.get(key) + "' (expected: an integer >= 0; 0 means the default)");
      return 0;
    }

    ExecutionMode executionMode() {
      String value = value(EXECUTION_MODE);
      if (value == null) {
        return ExecutionMode.SEQUENTIAL;
      }
      switch (value) {
        case "0", "sequential":
          return ExecutionMode.SEQUENTIAL;
        case "1", "parallel":
          return ExecutionMode.PARALLEL;
        default:
          problems.add(
              EXECUTION_MODE
                  + " '"
                  + parameters.get(EXECUTION_MODE)
                  + "' (expected: 0 or sequential, 1 or parallel)");
          return ExecutionMode.SEQUENTIAL;
      }
    }

    OptLevel optimizationLevel() {
      String value = value(OPTIMIZATION_LEVEL);
      if (value == null) {
        return OptLevel.ALL_OPT;
      }
      switch (value) {
        case "-1", "basic":
          return OptLevel.BASIC_OPT;
        case "0", "all":
          return OptLevel.ALL_OPT;
        case "1", "extended":
          return OptLevel.EXTENDED_OPT;
        case "2", "disable":
          return OptLevel.NO_OPT;
        default:
          problems.add(
              OPTIMIZATION_LEVEL
                  + " '"
                  + parameters.get(OPTIMIZATION_LEVEL)
                  + "' (expected: -1 or basic, 0 or all, 1 or extended, 2 or disable)");
          return OptLevel.ALL_OPT;
      }
    }

    boolean flag(String key, boolean defaultValue) {
      String value = value(key);
      if (value == null) {
        return defaultValue;
      }
      switch (value) {
        case "1", "true":
          return true;
        case "0", "false":
          return false;
        default:
          problems.add(key + " '" + parameters.get(key) + "' (expected: 1 or true, 0 or false)");
          return defaultValue;
      }
    }
  }
}
