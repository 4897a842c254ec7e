package dev.infera.core.metrics;

import dev.infera.spi.BackendMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/** Backends' own meters, registered with the server's Micrometer registry. */
public final class MicrometerBackendMeters implements BackendMeters {
  private final MeterRegistry registry;

  public MicrometerBackendMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Counter counter(String name, String description, Map<String, String> tags) {
    io.micrometer.core.instrument.Counter counter =
        io.micrometer.core.instrument.Counter.builder(name)
            .description(description)
            .tags(tagsOf(tags))
            .register(registry);
    return counter::increment;
  }

  @Override
  public Timer timer(String name, String description, Map<String, String> tags) {
    io.micrometer.core.instrument.Timer timer =
        io.micrometer.core.instrument.Timer.builder(name)
            .description(description)
            .tags(tagsOf(tags))
            .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public AutoCloseable gauge(
      String name, String description, Map<String, String> tags, DoubleSupplier value) {
    Gauge gauge =
        Gauge.builder(name, value, DoubleSupplier::getAsDouble)
            .description(description)
            .tags(tagsOf(tags))
            .register(registry);
    return () -> registry.remove(gauge);
  }

  private static Tags tagsOf(Map<String, String> tags) {
    Tags result = Tags.empty();
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      result = result.and(tag.getKey(), tag.getValue());
    }
    return result;
  }
}
