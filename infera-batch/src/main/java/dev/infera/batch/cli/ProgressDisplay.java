package dev.infera.batch.cli;

import dev.infera.batch.JobProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a job's progress: a progress bar (rows/s, ETA, rejected rows) on a terminal, else a plain
 * line every {@code interval} seconds. Runs on its own daemon thread; {@link #close} stops it.
 */
final class ProgressDisplay implements AutoCloseable {
  private final JobProgress progress;
  private final PrintStream out;
  private final ScheduledExecutorService thread;
  private final long startNanos = System.nanoTime();
  private ProgressBar bar;

  private ProgressDisplay(JobProgress progress, PrintStream out) {
    this.progress = progress;
    this.out = out;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "infera-batch-progress");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts showing progress.
   *
   * @param mode {@code bar}, {@code lines}, {@code none} or {@code auto} (a bar on a terminal)
   * @param intervalSeconds seconds between plain lines
   */
  static ProgressDisplay start(
      JobProgress progress, String mode, long intervalSeconds, PrintStream out) {
    ProgressDisplay display = new ProgressDisplay(progress, out);
    boolean terminal = System.console() != null;
    switch (mode) {
      case "none" -> {}
      case "bar" -> display.startBar();
      case "lines" -> display.startLines(intervalSeconds);
      default -> {
        if (terminal) {
          display.startBar();
        } else {
          display.startLines(intervalSeconds);
        }
      }
    }
    return display;
  }

  private void startBar() {
    bar =
        new ProgressBarBuilder()
            .setTaskName("scoring")
            .setInitialMax(Math.max(0, progress.totalRows()))
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" rows", 1)
            .showSpeed()
            .setUpdateIntervalMillis(500)
            .build();
    thread.scheduleWithFixedDelay(this::updateBar, 200, 200, TimeUnit.MILLISECONDS);
  }

  private void updateBar() {
    if (progress.totalRows() >= 0) {
      bar.maxHint(progress.totalRows());
    }
    bar.stepTo(progress.rowsDone());
    bar.setExtraMessage(" rejected " + progress.rejected());
  }

  private void startLines(long intervalSeconds) {
    thread.scheduleWithFixedDelay(
        () -> out.println(line()), intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
  }

  /** {@code infera batch: 120000 of 1000000 rows (12 %), 45000 rows/s, 3 rejected, ETA 20 s} */
  String line() {
    long done = progress.rowsDone();
    long total = progress.totalRows();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder text = new StringBuilder("infera batch: ").append(done);
    if (total > 0) {
      text.append(" of ")
          .append(total)
          .append(String.format(Locale.ROOT, " rows (%.0f %%)", 100.0 * done / total));
    } else {
      text.append(" rows");
    }
    text.append(
        String.format(Locale.ROOT, ", %.0f rows/s, %d rejected", rate, progress.rejected()));
    if (total > done && rate > 0) {
      text.append(String.format(Locale.ROOT, ", ETA %.0f s", (total - done) / rate));
    }
    return text.toString();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    if (bar != null) {
      updateBar();
      bar.close();
    }
  }
}
