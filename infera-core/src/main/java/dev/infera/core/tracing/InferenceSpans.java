package dev.infera.core.tracing;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The names and attributes of the spans Infera builds (docs/observability.md lists them beside
 * Triton's): one {@value #REQUEST} span per traced request with {@value #DECODE}, {@value #QUEUE},
 * {@value #COMPUTE} and {@value #ENCODE} children, and one {@value #BATCH} span per batch
 * execution, linked to the request spans it ran.
 */
public final class InferenceSpans {
  /** The whole request, from its arrival until its response was written; kind SERVER. */
  public static final String REQUEST = "infer";

  /** Decoding the request's body or message into tensors. */
  public static final String DECODE = "decode";

  /** From the request's arrival in its version's queue until its batch started. */
  public static final String QUEUE = "queue";

  /** The request's share of a batch execution; linked to the {@value #BATCH} span. */
  public static final String COMPUTE = "compute";

  /** Encoding the response. */
  public static final String ENCODE = "encode";

  /**
   * One step of a traced ensemble request, a child of its request span; the step model's queue and
   * compute spans hang under it.
   */
  public static final String STEP = "pipeline_step";

  /** One execution of a batch on one instance; linked to every request span it ran. */
  public static final String BATCH = "execute_batch";

  public static final AttributeKey<String> MODEL = AttributeKey.stringKey("infera.model");
  public static final AttributeKey<String> VERSION = AttributeKey.stringKey("infera.model_version");
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("infera.request_id");
  public static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("infera.protocol");

  /** Requests in the batch. */
  public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("infera.batch_size");

  /** Rows (first-dimension entries) in the batch, over all its requests. */
  public static final AttributeKey<Long> BATCH_ROWS = AttributeKey.longKey("infera.batch_rows");

  /** The rows a request carried. */
  public static final AttributeKey<Long> ROWS = AttributeKey.longKey("infera.rows");

  /** The instance (its execution thread) that ran the batch. */
  public static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("infera.instance");

  /** The error code of a failed request or batch. */
  public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("infera.error_code");

  /** A pipeline step's 1-based index in {@code ensemble_scheduling}. */
  public static final AttributeKey<Long> STEP_INDEX = AttributeKey.longKey("infera.step.index");

  /**
   * How a pipeline step ended: {@code ok}, {@code skipped}, {@code fallback_model}, {@code
   * fallback_value}, {@code soft_failure}, {@code timed_out} or {@code failed}.
   */
  public static final AttributeKey<String> STEP_OUTCOME =
      AttributeKey.stringKey("infera.step.outcome");

  /** The rows a pipeline step sent to models: its calls' rows, retries and fallback calls too. */
  public static final AttributeKey<Long> STEP_ROWS_SENT =
      AttributeKey.longKey("infera.step.rows_sent");

  /** The rows a cascade step escalated to its model. */
  public static final AttributeKey<Long> CASCADE_ROWS =
      AttributeKey.longKey("infera.step.cascade_rows");

  /** The models a router step sent rows to. */
  public static final AttributeKey<List<String>> ROUTED_MODELS =
      AttributeKey.stringArrayKey("infera.step.routed_models");

  /** The model that answered in a failed step's place. */
  public static final AttributeKey<String> FALLBACK_MODEL =
      AttributeKey.stringKey("infera.step.fallback_model");

  /** The instrumentation scope name of every Infera span. */
  public static final String SCOPE = "dev.infera";

  private InferenceSpans() {}
}
