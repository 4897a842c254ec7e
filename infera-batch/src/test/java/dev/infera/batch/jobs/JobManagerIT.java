package dev.infera.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.batch.BatchOptions;
import dev.infera.batch.LocalEngine;
import dev.infera.batch.ModelAccess;
import dev.infera.batch.Tables;
import dev.infera.core.InferenceService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's job pool with the real engine (examples/models), where a job's thread dies. */
class JobManagerIT {
  @TempDir Path jobs;

  @Test
  void aJobWhoseThreadDiesOfAnErrorEndsFailedInsteadOfStayingRunning() throws Exception {
    Tables.csv(jobs.resolve("in.csv"), Tables.features(10, 64, 5));
    try (LocalEngine engine = LocalEngine.load(Tables.examples(), "tabular_mlp")) {
      // The engine as it is, except that inference dies as a native library that cannot load does.
      InferenceService real = engine.access().service();
      InferenceService dying =
          (InferenceService)
              Proxy.newProxyInstance(
                  InferenceService.class.getClassLoader(),
                  new Class<?>[] {InferenceService.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("infer")) {
                      throw new NoClassDefFoundError("org/duckdb/DuckDBNative");
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      try (JobManager manager =
          new JobManager(
              new ModelAccess(engine.access().router(), dying),
              JobSettings.defaults(jobs),
              Clock.systemUTC())) {
        String id =
            manager
                .submit(BatchOptions.of("tabular_mlp", List.of(Path.of("in.csv")), Path.of("out")))
                .id();

        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!manager.status(id).state().finished()) {
          assertThat(System.nanoTime()).as("the job ended within 20 s").isLessThan(deadline);
          Thread.sleep(20);
        }
        JobStatus status = manager.status(id);
        assertThat(status.state()).isEqualTo(JobState.FAILED);
        assertThat(status.error())
            .hasValueSatisfying(e -> assertThat(e).startsWith("the job failed"));
      }
    }
  }
}
