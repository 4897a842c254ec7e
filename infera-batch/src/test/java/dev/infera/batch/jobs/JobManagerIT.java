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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's job pool with the real engine (examples/models), where inference misbehaves: its
 * {@code infer} replaced in a proxy, the engine's other calls passed through.
 */
class JobManagerIT {
  private static final long PATIENCE_NANOS = 20_000_000_000L;

  @TempDir Path jobs;

  @Test
  void aJobWaitingForAnAnswerStopsWhenCancelled() throws Exception {
    // Its batch waits as a lowest-priority batch can behind online traffic: here, for ever.
    JobStatus done =
        runWith(
            () -> new CompletableFuture<>(),
            (manager, id) -> {
              awaitUntil(() -> manager.status(id).state() == JobState.RUNNING);
              Thread.sleep(300); // its batch sent and waited for
              manager.cancel(id);
            });

    assertThat(done.state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void aJobWhoseThreadDiesOfAnErrorEndsFailedInsteadOfStayingRunning() throws Exception {
    // As a native library that cannot load fails.
    JobStatus done =
        runWith(
            () -> {
              throw new NoClassDefFoundError("org/duckdb/DuckDBNative");
            },
            (manager, id) -> {});

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.error()).hasValueSatisfying(e -> assertThat(e).startsWith("the job failed"));
  }

  private interface Steps {
    void run(JobManager manager, String id) throws Exception;
  }

  /** Submits a tabular_mlp job whose inference answers with {@code infer}; its final status. */
  private JobStatus runWith(Supplier<CompletableFuture<?>> infer, Steps steps) throws Exception {
    Tables.csv(jobs.resolve("in.csv"), Tables.features(10, 64, 5));
    try (LocalEngine engine = LocalEngine.load(Tables.examples(), "tabular_mlp")) {
      InferenceService real = engine.access().service();
      InferenceService replaced =
          (InferenceService)
              Proxy.newProxyInstance(
                  InferenceService.class.getClassLoader(),
                  new Class<?>[] {InferenceService.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("infer")) {
                      return infer.get();
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      try (JobManager manager =
          new JobManager(
              new ModelAccess(engine.access().router(), replaced),
              JobSettings.defaults(jobs),
              Clock.systemUTC())) {
        String id =
            manager
                .submit(BatchOptions.of("tabular_mlp", List.of(Path.of("in.csv")), Path.of("out")))
                .id();
        steps.run(manager, id);
        awaitUntil(() -> manager.status(id).state().finished());
        return manager.status(id);
      }
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
