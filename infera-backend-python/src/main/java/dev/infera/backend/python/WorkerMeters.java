package dev.infera.backend.python;

import dev.infera.spi.BackendMeters;
import java.util.Map;

/**
 * The Python backend's own metrics for one model version: worker restarts, and how each batch's
 * round trip divides into time inside {@code execute} and time outside it (copies into and out of
 * shared memory, the control message hop, the worker's own bookkeeping).
 */
final class WorkerMeters {
  static final String RESTARTS = "infera.python.worker.restarts";
  static final String EXECUTE = "infera.python.execute.duration";
  static final String TRANSFER = "infera.python.transfer.duration";

  final BackendMeters.Counter restarts;
  final BackendMeters.Timer execute;
  final BackendMeters.Timer transfer;

  WorkerMeters(BackendMeters meters, String model, long version) {
    Map<String, String> tags = Map.of("model", model, "version", Long.toString(version));
    this.restarts =
        meters.counter(RESTARTS, "Python workers restarted after a crash or a hang", tags);
    this.execute = meters.timer(EXECUTE, "Time inside model.py's execute, per batch", tags);
    this.transfer =
        meters.timer(
            TRANSFER,
            "Time of a batch's round trip to the Python worker outside execute: shared-memory"
                + " copies and control messages",
            tags);
  }
}
