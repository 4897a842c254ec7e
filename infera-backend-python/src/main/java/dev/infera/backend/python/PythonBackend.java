package dev.infera.backend.python;

import dev.infera.spi.Backend;
import dev.infera.spi.BackendContext;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelLoadRequest;
import java.util.Set;

/**
 * The {@code python} backend: Triton's Python backend contract, {@code <version>/model.py} defining
 * {@code TritonPythonModel}, each instance in its own supervised worker process.
 */
public final class PythonBackend implements Backend {
  private final RuntimeFiles runtime = new RuntimeFiles();
  private volatile BackendContext context = BackendContext.empty();

  @Override
  public String name() {
    return "python";
  }

  @Override
  public Set<String> aliases() {
    return Set.of();
  }

  @Override
  public Set<String> defaultModelFileNames() {
    return Set.of(PythonModel.DEFAULT_FILE);
  }

  @Override
  public void configure(BackendContext context) {
    this.context = context;
  }

  @Override
  public LoadedModel load(ModelLoadRequest request) {
    BackendContext current = context;
    PythonSettings settings = PythonSettings.of(request, current.config(), System.getenv());
    return PythonModel.load(request, settings, runtime.directory(), current.meters());
  }

  @Override
  public void close() {
    runtime.close();
  }

  /** Where the workers' Python files are; for tests. */
  java.nio.file.Path runtimeDirectory() {
    return runtime.directory();
  }
}
