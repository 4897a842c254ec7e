package dev.infera.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachingSchedulerTest {
  private static final Tags TAGS = Tags.of("model", "m", "version", "1");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ResponseCache cache = new ResponseCache(new CacheSettings(1 << 20), registry);
  private final EchoScheduler echo = new EchoScheduler();
  private final CachingScheduler scheduler = cache.wrap("m", "1", TAGS, echo);

  private static ScheduledRequest request(String output, long[] shape, float... values) {
    ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      data.putFloat(value);
    }
    data.flip();
    return new ScheduledRequest(
        List.of(Tensor.of("X", DataType.FP32, shape, data)),
        List.of(output),
        (int) shape[0],
        0,
        Optional.empty());
  }

  private static ScheduledRequest request(float... values) {
    return request("Y", new long[] {1, values.length}, values);
  }

  @Test
  void identicalRequestIsAnsweredFromTheCacheWithoutExecuting() {
    ExecutionResult first = scheduler.enqueue(request(1, 2)).join();
    ExecutionResult second = scheduler.enqueue(request(1, 2)).join();

    assertThat(echo.executed).isEqualTo(1);
    assertThat(second.outputs().get(0).data()).isEqualTo(first.outputs().get(0).data());
    assertThat(second.queueTime()).isZero();
  }

  @Test
  void differentBytesMiss() {
    scheduler.enqueue(request(1, 2)).join();
    scheduler.enqueue(request(1, 3)).join();

    assertThat(echo.executed).isEqualTo(2);
  }

  @Test
  void differentShapeOfTheSameBytesMisses() {
    scheduler.enqueue(request("Y", new long[] {1, 2}, 1, 2)).join();
    scheduler.enqueue(request("Y", new long[] {2, 1}, 1, 2)).join();

    assertThat(echo.executed).isEqualTo(2);
  }

  @Test
  void differentRequestedOutputsMiss() {
    scheduler.enqueue(request("Y", new long[] {1, 2}, 1, 2)).join();
    scheduler.enqueue(request("Z", new long[] {1, 2}, 1, 2)).join();

    assertThat(echo.executed).isEqualTo(2);
  }

  @Test
  void failuresAreNotCached() {
    echo.failure = new InferenceException(ErrorCode.INTERNAL, "broken");
    scheduler.enqueue(request(1, 2));
    echo.failure = null;

    scheduler.enqueue(request(1, 2)).join();

    assertThat(echo.executed).isEqualTo(2);
  }

  @Test
  void reloadedVersionNeverSeesTheEntriesOfTheLoadBefore() {
    scheduler.enqueue(request(1, 2)).join();
    EchoScheduler reloaded = new EchoScheduler();

    cache.wrap("m", "1", TAGS, reloaded).enqueue(request(1, 2)).join();

    assertThat(reloaded.executed).isEqualTo(1);
  }

  @Test
  void stoppingDropsTheVersionsEntries() {
    scheduler.enqueue(request(1, 2)).join();
    assertThat(cache.usedBytes()).isPositive();

    scheduler.stop().join();

    assertThat(cache.usedBytes()).isZero();
  }

  @Test
  void hitsAndMissesAreCountedPerVersion() {
    scheduler.enqueue(request(1, 2)).join();
    scheduler.enqueue(request(1, 2)).join();
    scheduler.enqueue(request(1, 2)).join();

    assertThat(registry.get(ResponseCache.HITS).tags(TAGS).counter().count()).isEqualTo(2.0);
    assertThat(registry.get(ResponseCache.MISSES).tags(TAGS).counter().count()).isEqualTo(1.0);
  }

  @Test
  void evictsBeyondItsSizeInBytesAndCountsEvictions() {
    ResponseCache small = new ResponseCache(new CacheSettings(2048), registry);
    CachingScheduler bounded = small.wrap("m", "1", TAGS, new EchoScheduler());

    for (int i = 0; i < 20; i++) {
      bounded.enqueue(request(new float[64])).join();
      bounded.enqueue(request("Y", new long[] {1, 64}, new float[64])).join();
      bounded.enqueue(request(i, i + 1, i + 2, i + 3)).join();
    }

    assertThat(small.usedBytes()).isLessThanOrEqualTo(2048);
    assertThat(registry.get(ResponseCache.EVICTIONS).counter().count()).isPositive();
  }
}
