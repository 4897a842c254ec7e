/**
 * Batch scoring: jobs that read CSV, JSON Lines or Parquet files, score their rows through the
 * serving engine ({@link dev.infera.core.InferenceService}: the same validation, scheduler and
 * backends as online requests), and write partitioned outputs, reject files, a manifest for resume
 * and a summary. May depend on infera-core and infera-spi; never on the server or a transport.
 */
package dev.infera.batch;
