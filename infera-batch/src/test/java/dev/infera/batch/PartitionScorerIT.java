package dev.infera.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.batch.ModelAccess.ModelView;
import dev.infera.batch.io.OutputColumn;
import dev.infera.batch.io.SourceRow;
import dev.infera.batch.mapping.BatchBuilder.Batch;
import dev.infera.batch.mapping.OutputLayout;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.ModelMetadata;
import dev.infera.core.ServerMetadata;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How many batches a partition keeps in flight, against the real engine (tabular_mlp). */
class PartitionScorerIT {
  private static final int ROWS = 256;
  private static final long BATCH_BYTES = ROWS * 64 * 4;

  private static LocalEngine mlp;

  @BeforeAll
  static void load() {
    mlp = LocalEngine.load(Tables.examples(), "tabular_mlp");
  }

  @AfterAll
  static void close() {
    mlp.close();
  }

  /** Counts batches sent and written; the most in flight is what the scorer let through. */
  private static final class Counting implements InferenceService, ScoredRows {
    private final InferenceService engine;
    private int sent;
    private int written;
    private int mostInFlight;

    Counting(InferenceService engine) {
      this.engine = engine;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
      sent++;
      mostInFlight = Math.max(mostInFlight, sent - written);
      return engine.infer(request);
    }

    @Override
    public void write(Object[] row) {
      throw new AssertionError("the scorer writes whole batches here");
    }

    @Override
    public void writeBatch(OutputLayout layout, List<Object> ids, List<Tensor> outputs, int rows) {
      assertThat(outputs.get(0).shape()).containsExactly(ROWS, 2);
      written++;
    }

    @Override
    public void reject(SourceRow row, Object id, String reason) {
      throw new AssertionError("no row is rejected: " + reason);
    }

    @Override
    public ServerMetadata serverMetadata() {
      return engine.serverMetadata();
    }

    @Override
    public ModelMetadata modelMetadata(String modelName, Optional<String> version) {
      return engine.modelMetadata(modelName, version);
    }

    @Override
    public boolean isModelReady(String modelName, Optional<String> version) {
      return engine.isModelReady(modelName, version);
    }

    @Override
    public boolean isLive() {
      return engine.isLive();
    }

    @Override
    public boolean isReady() {
      return engine.isReady();
    }
  }

  private static Counting score(int parallelism, long maxBytesInFlight, int batches) {
    Counting counting = new Counting(mlp.access().service());
    ModelView model = mlp.access().view("tabular_mlp", Optional.empty());
    BatchOptions options =
        BatchOptions.of("tabular_mlp", List.of(Path.of("in.csv")), Path.of("out"))
            .withParallelism(parallelism);
    PartitionScorer scorer =
        new PartitionScorer(
            counting,
            options,
            model,
            OutputLayout.of(model.contract(), List.of(), "id", OutputColumn.Type.BIGINT),
            new JobProgress(),
            () -> {},
            maxBytesInFlight);
    for (int b = 0; b < batches; b++) {
      scorer.submit(batch(b), counting);
    }
    scorer.writeAll(counting);
    return counting;
  }

  private static Batch batch(int number) {
    ByteBuffer data = ByteBuffer.allocateDirect((int) BATCH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    List<Object> ids = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      ids.add((long) number * ROWS + r);
    }
    Tensor features = Tensor.of("features", DataType.FP32, new long[] {ROWS, 64}, data);
    return new Batch(List.of(features), ids, List.of());
  }

  @Test
  void keepsAsManyBatchesInFlightAsItsParallelism() {
    Counting counting = score(6, PartitionScorer.MAX_BYTES_IN_FLIGHT, 20);

    assertThat(counting.written).isEqualTo(20);
    assertThat(counting.mostInFlight).isEqualTo(6);
  }

  @Test
  void keepsFewerWhenTheirInputsPassTheByteLimit() {
    Counting counting = score(32, 3 * BATCH_BYTES, 20);

    assertThat(counting.written).isEqualTo(20);
    assertThat(counting.mostInFlight).isEqualTo(3);
  }

  @Test
  void sendsABatchLargerThanTheByteLimitAlone() {
    Counting counting = score(32, BATCH_BYTES / 2, 5);

    assertThat(counting.written).isEqualTo(5);
    assertThat(counting.mostInFlight).isEqualTo(1);
  }
}
