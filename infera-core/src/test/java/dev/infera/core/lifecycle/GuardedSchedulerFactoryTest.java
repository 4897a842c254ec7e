package dev.infera.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.core.cache.CacheSettings;
import dev.infera.core.cache.CachingScheduler;
import dev.infera.core.cache.ResponseCache;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelParameter;
import dev.infera.core.config.proto.ModelResponseCache;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.resilience.BreakerSettings;
import dev.infera.core.resilience.CircuitState;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The breaker and the cache around each version's scheduler, as the configuration asks. */
class GuardedSchedulerFactoryTest {
  private static final String LABEL = "model 'm' version '1'";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BatchingSchedulerFactory factory =
      new BatchingSchedulerFactory(
          Ticker.system(),
          new BatchingSchedulerFactory.Guards(
              registry,
              Clock.systemUTC(),
              BreakerSettings.DEFAULTS,
              Optional.of(new ResponseCache(new CacheSettings(1 << 20), registry))));
  private final List<Scheduler> created = new ArrayList<>();

  @AfterEach
  void stop() {
    created.forEach(scheduler -> scheduler.stop().join());
  }

  private VersionScheduler create(ModelConfig config) {
    VersionScheduler scheduler =
        factory.create(
            LABEL, config, List.of(new IdleInstance()), new VersionMetrics(registry, "m", "1"));
    created.add(scheduler.scheduler());
    return scheduler;
  }

  private static ModelConfig.Builder config() {
    return ModelConfig.newBuilder().setName("m").setMaxBatchSize(4);
  }

  @Test
  void everyVersionHasAClosedBreakerByDefault() {
    VersionScheduler scheduler = create(config().build());

    assertThat(scheduler.circuit().get()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aModelMayTurnItsBreakerOff() {
    VersionScheduler scheduler =
        create(
            config()
                .putParameters(
                    BreakerSettings.ENABLED,
                    ModelParameter.newBuilder().setStringValue("false").build())
                .build());

    assertThat(scheduler.circuit().get()).isEqualTo(CircuitState.DISABLED);
  }

  @Test
  void responseCacheWrapsTheBreakerWhenTheModelEnablesIt() {
    VersionScheduler scheduler =
        create(config().setResponseCache(ModelResponseCache.newBuilder().setEnable(true)).build());

    assertThat(scheduler.scheduler()).isInstanceOf(CachingScheduler.class);
    assertThat(scheduler.circuit().get()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void badBreakerParameterFailsTheLoadWithTheParameterNamed() {
    InferenceException error =
        catchThrowableOfType(
            InferenceException.class,
            () ->
                create(
                    config()
                        .putParameters(
                            BreakerSettings.WAIT_MS,
                            ModelParameter.newBuilder().setStringValue("soon").build())
                        .build()));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(error.getMessage()).contains("circuit_breaker_wait_ms 'soon'");
  }

  /** An instance that is never asked to execute here. */
  private static final class IdleInstance implements ModelInstance {
    @Override
    public List<Tensor> execute(List<Tensor> inputs, List<String> outputNames) {
      throw new UnsupportedOperationException("not executed in these tests");
    }

    @Override
    public void close() {}
  }
}
