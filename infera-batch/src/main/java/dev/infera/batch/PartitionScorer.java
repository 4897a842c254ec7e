package dev.infera.batch;

import dev.infera.batch.ModelAccess.ModelView;
import dev.infera.batch.mapping.BatchBuilder.Batch;
import dev.infera.batch.mapping.OutputLayout;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends batches to the engine, at most {@code parallelism} at once and at most {@value
 * #MAX_BYTES_IN_FLIGHT} bytes of input tensors (but always one batch), and writes their answers in
 * submission order (so output files keep input order). A batch the model refuses as invalid is
 * retried row by row, and the rows it refuses are rejected with its reason. Owned by the job
 * thread.
 */
final class PartitionScorer {
  /**
   * Input bytes in flight past which the next batch waits: enough for 32 batches of a small tabular
   * model (256 rows of 64 FP32 are 64 KiB), a few of an image model (16 images of 3x224x224 FP32
   * are 9.2 MiB), whose buffers would otherwise pile up in memory.
   */
  static final long MAX_BYTES_IN_FLIGHT = 64L << 20;

  /** How often a wait for an answer checks whether the job was cancelled. */
  private static final long CANCEL_CHECK_MILLIS = 100;

  private final InferenceService service;
  private final BatchOptions options;
  private final ModelView model;
  private final OutputLayout layout;
  private final JobProgress progress;
  private final Runnable cancellationCheck;
  private final List<RequestedOutput> outputs;
  private final RequestOptions requestOptions;
  private final long maxBytesInFlight;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long bytesInFlight;

  private record Pending(Batch batch, long bytes, CompletableFuture<InferenceResponse> response) {}

  /**
   * @param maxBytesInFlight {@link #MAX_BYTES_IN_FLIGHT} but in tests
   */
  PartitionScorer(
      InferenceService service,
      BatchOptions options,
      ModelView model,
      OutputLayout layout,
      JobProgress progress,
      Runnable cancellationCheck,
      long maxBytesInFlight) {
    this.maxBytesInFlight = maxBytesInFlight;
    this.service = service;
    this.options = options;
    this.model = model;
    this.layout = layout;
    this.progress = progress;
    this.cancellationCheck = cancellationCheck;
    this.outputs = layout.outputNames().stream().map(RequestedOutput::named).toList();
    this.requestOptions =
        options.priority().isPresent() && model.priorityLevels() > 0
            ? RequestOptions.builder()
                .priority(Math.min(options.priority().getAsInt(), model.priorityLevels()))
                .build()
            : RequestOptions.DEFAULT;
  }

  void submit(Batch batch, ScoredRows writer) {
    long bytes = batch.inputs().stream().mapToLong(Tensor::byteSize).sum();
    while (!pending.isEmpty()
        && (pending.size() >= options.parallelism() || bytesInFlight + bytes > maxBytesInFlight)) {
      write(pending.poll(), writer);
    }
    bytesInFlight += bytes;
    pending.add(new Pending(batch, bytes, infer(batch.inputs())));
  }

  private CompletableFuture<InferenceResponse> infer(List<Tensor> inputs) {
    InferenceRequest request =
        new InferenceRequest(
            options.model(),
            Optional.of(Long.toString(model.version())),
            Optional.empty(),
            inputs,
            outputs,
            requestOptions);
    try {
      return service.infer(request);
    } catch (InferenceException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Writes the answers that have arrived, in order, without waiting. */
  void writeFinished(ScoredRows writer) {
    while (!pending.isEmpty() && pending.peek().response().isDone()) {
      write(pending.poll(), writer);
    }
  }

  /** Waits for every batch in flight and writes its answers. */
  void writeAll(ScoredRows writer) {
    while (!pending.isEmpty()) {
      write(pending.poll(), writer);
    }
  }

  /** Withdraws the batches in flight (the job stopped). */
  void abandon() {
    pending.forEach(p -> p.response().cancel(false));
    pending.clear();
    bytesInFlight = 0;
  }

  private void write(Pending next, ScoredRows writer) {
    bytesInFlight -= next.bytes();
    cancellationCheck.run();
    Batch batch = next.batch();
    InferenceResponse response;
    try {
      response = await(next.response());
    } catch (InferenceException e) {
      if (e.code() != ErrorCode.INVALID_ARGUMENT) {
        throw new BatchFailure(
            "model '" + options.model() + "' failed a batch: " + e.getMessage(), e);
      }
      retryRowByRow(batch, writer);
      batch.release().run();
      return;
    }
    writer.writeBatch(layout, batch.ids(), response.outputs(), batch.size());
    progress.written(batch.size());
    batch.release().run();
  }

  private void retryRowByRow(Batch batch, ScoredRows writer) {
    for (int r = 0; r < batch.size(); r++) {
      List<Tensor> row = new ArrayList<>();
      for (Tensor input : batch.inputs()) {
        row.add(rowOf(input, r, batch.size()));
      }
      try {
        InferenceResponse response = await(infer(row));
        writer.write(layout.row(batch.ids().get(r), response.outputs(), 0));
        progress.written(1);
      } catch (InferenceException e) {
        if (e.code() != ErrorCode.INVALID_ARGUMENT) {
          throw new BatchFailure(
              "model '" + options.model() + "' failed a row: " + e.getMessage(), e);
        }
        writer.reject(batch.rows().get(r), batch.ids().get(r), e.getMessage());
        progress.rejectedOne();
      }
    }
  }

  private static Tensor rowOf(Tensor batch, int row, int rows) {
    long[] shape = batch.shape();
    long perRow = batch.elementCount() / rows;
    shape[0] = 1;
    if (batch.dataType() == DataType.BYTES) {
      return Tensor.ofBytes(
          batch.name(),
          shape,
          batch.elements().subList((int) (row * perRow), (int) ((row + 1) * perRow)));
    }
    int bytes = (int) perRow * batch.dataType().byteSize();
    ByteBuffer data = batch.data().duplicate();
    data.position(row * bytes).limit((row + 1) * bytes);
    return Tensor.of(batch.name(), batch.dataType(), shape, data.slice());
  }

  /**
   * An answer, waited for in slices with the job's cancellation checked between them: a cancelled
   * job stops at once even while its batch waits behind online traffic (lowest priority).
   */
  private InferenceResponse await(CompletableFuture<InferenceResponse> response) {
    try {
      while (true) {
        try {
          return response.get(CANCEL_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
          cancellationCheck.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BatchFailure("interrupted", true);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InferenceException inference) {
        throw inference;
      }
      throw new BatchFailure("inference failed: " + cause, cause);
    } catch (CancellationException e) {
      throw new BatchFailure("cancelled", true);
    }
  }
}
