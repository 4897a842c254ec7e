package dev.infera.backend.python;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelLoadRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one model's workers run, from the model's {@code parameters}, the backend's settings ({@code
 * --backend-config python,KEY=VALUE}) and the defaults, in that order of precedence.
 *
 * <ul>
 *   <li>{@code interpreter}: the Python to run, such as {@code /opt/venv/bin/python3}; when neither
 *       the model nor the backend names one, the {@code INFERA_PYTHON} environment variable, else
 *       {@code python3} on the PATH;
 *   <li>{@code execute_timeout_seconds}: how long one {@code execute} may take before its worker is
 *       killed and restarted (default 60);
 *   <li>{@code startup_timeout_seconds} (Triton's backend setting {@code stub-timeout-seconds} is
 *       read too): how long importing {@code model.py} and {@code initialize} may take (default
 *       120);
 *   <li>{@code shm-default-byte-size}: the initial size of each worker's shared-memory file
 *       (sparse; it grows as batches need; default 64 MiB).
 * </ul>
 *
 * @param interpreter the interpreter command
 * @param executeTimeout the limit on one execute
 * @param startTimeout the limit on import plus initialize
 * @param shmBytes the initial shared-memory size
 */
record PythonSettings(
    String interpreter, Duration executeTimeout, Duration startTimeout, long shmBytes) {

  static final String INTERPRETER = "interpreter";
  static final String EXECUTE_TIMEOUT = "execute_timeout_seconds";
  static final String START_TIMEOUT = "startup_timeout_seconds";
  static final String TRITON_START_TIMEOUT = "stub-timeout-seconds";
  static final String SHM_BYTES = "shm-default-byte-size";
  static final String ENVIRONMENT_VARIABLE = "INFERA_PYTHON";

  /**
   * The settings for one model.
   *
   * @param backend the backend's settings
   * @param environment the server's environment variables
   */
  static PythonSettings of(
      ModelLoadRequest request, Map<String, String> backend, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    String interpreter =
        pick(request, backend, INTERPRETER)
            .or(() -> Optional.ofNullable(environment.get(ENVIRONMENT_VARIABLE)))
            .filter(value -> !value.isBlank())
            .orElse("python3");
    Duration execute = seconds(request, backend, EXECUTE_TIMEOUT, 60, problems);
    Duration start =
        pick(request, backend, START_TIMEOUT).isPresent()
            ? seconds(request, backend, START_TIMEOUT, 120, problems)
            : seconds(request, backend, TRITON_START_TIMEOUT, 120, problems);
    long shm = 64L << 20;
    Optional<String> shmText = pick(request, backend, SHM_BYTES);
    if (shmText.isPresent()) {
      try {
        shm = Long.parseLong(shmText.get().strip());
        if (shm < 4096 || shm > Integer.MAX_VALUE) {
          problems.add(SHM_BYTES + " " + shm + " (expected 4096 to " + Integer.MAX_VALUE + ")");
        }
      } catch (NumberFormatException e) {
        problems.add(SHM_BYTES + " '" + shmText.get() + "' (expected a number of bytes)");
      }
    }
    if (!problems.isEmpty()) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "model '" + request.modelName() + "': " + String.join("; ", problems));
    }
    return new PythonSettings(interpreter, execute, start, shm);
  }

  private static Optional<String> pick(
      ModelLoadRequest request, Map<String, String> backend, String key) {
    return request.parameter(key).or(() -> Optional.ofNullable(backend.get(key)));
  }

  private static Duration seconds(
      ModelLoadRequest request,
      Map<String, String> backend,
      String key,
      long fallback,
      List<String> problems) {
    Optional<String> text = pick(request, backend, key);
    if (text.isEmpty()) {
      return Duration.ofSeconds(fallback);
    }
    try {
      double value = Double.parseDouble(text.get().strip());
      if (!(value > 0) || value > 86_400) {
        problems.add(key + " " + text.get() + " (expected seconds above 0, at most 86400)");
        return Duration.ofSeconds(fallback);
      }
      return Duration.ofNanos((long) (value * 1e9));
    } catch (NumberFormatException e) {
      problems.add(key + " '" + text.get() + "' (expected a number of seconds)");
      return Duration.ofSeconds(fallback);
    }
  }
}
