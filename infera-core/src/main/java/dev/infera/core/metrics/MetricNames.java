package dev.infera.core.metrics;

/**
 * Every metric name Infera records, in Micrometer's dotted form. The Prometheus registry turns
 * {@code infera.inference.request.success} into {@code infera_inference_request_success_total};
 * docs/metrics.md maps each to Triton's {@code nv_inference_*} name.
 */
public final class MetricNames {
  public static final String TAG_MODEL = "model";
  public static final String TAG_VERSION = "version";
  public static final String TAG_REASON = "reason";

  /** Counter: requests answered successfully (Triton: nv_inference_request_success). */
  public static final String REQUEST_SUCCESS = "infera.inference.request.success";

  /** Counter: requests that failed, by reason (Triton: nv_inference_request_failure). */
  public static final String REQUEST_FAILURE = "infera.inference.request.failure";

  /** Counter: inferences, one per batch row (Triton: nv_inference_count). */
  public static final String INFERENCE_COUNT = "infera.inference.count";

  /** Counter: model executions, one per batch (Triton: nv_inference_exec_count). */
  public static final String EXECUTION_COUNT = "infera.inference.exec.count";

  /** Seconds instances spent executing batches (Prometheus: {@code _seconds_total}). */
  public static final String EXECUTION_BUSY = "infera.inference.exec.busy";

  /** Replicas of this server the load needs at the latency target (all models: the largest). */
  public static final String DESIRED_REPLICAS = "infera.desired.replicas";

  /** Replicas of this server one model's load needs at its latency target. */
  public static final String MODEL_DESIRED_REPLICAS = "infera.model.desired.replicas";

  /** Histogram, seconds: from arrival to answer (Triton: nv_inference_request_duration_us). */
  public static final String REQUEST_DURATION = "infera.inference.request.duration";

  /** Histogram, seconds: waiting in the queue (Triton: nv_inference_queue_duration_us). */
  public static final String QUEUE_DURATION = "infera.inference.queue.duration";

  /**
   * Histogram, seconds: execution of the batch (Triton: nv_inference_compute_infer_duration_us).
   */
  public static final String COMPUTE_DURATION = "infera.inference.compute.duration";

  /** Histogram, rows: the size of each executed batch. */
  public static final String BATCH_SIZE = "infera.inference.batch.size";

  /** Gauge: requests waiting in the queue (Triton: nv_inference_pending_request_count). */
  public static final String QUEUE_DEPTH = "infera.inference.queue.depth";

  /** Gauge: requests accepted and not yet answered. */
  public static final String INFLIGHT = "infera.inference.inflight";

  /** Tag of {@link #MODEL_STATE}: the state the series stands for. */
  public static final String TAG_STATE = "state";

  /**
   * Gauge: 1 for the state a model version is in, 0 for the others, one series per state (LOADING,
   * READY, UNLOADING, UNAVAILABLE).
   */
  public static final String MODEL_STATE = "infera.model.state";

  /**
   * Timer, seconds: successful loads of a model version, warmup included; its count is the number
   * of loads (Triton: nv_model_load_duration_secs, a gauge of the last load).
   */
  public static final String MODEL_LOAD_DURATION = "infera.model.load.duration";

  /** Counter: loads (or warmups) of a model version that failed. */
  public static final String MODEL_LOAD_FAILURE = "infera.model.load.failure";

  /**
   * Timer, seconds: unloads of a model version, from leaving the routing table until its resources
   * are freed (draining included); its count is the number of unloads.
   */
  public static final String MODEL_UNLOAD_DURATION = "infera.model.unload.duration";

  /** Timer, seconds: warmup of a model version before it turns READY. */
  public static final String MODEL_WARMUP_DURATION = "infera.model.warmup.duration";

  /** Tag of the drift series: the feature, a tensor name with {@code [column]} for one column. */
  public static final String TAG_FEATURE = "feature";

  /** Tag of {@link #FEATURE_DRIFT_SCORE}: the method, {@code psi} or {@code ks}. */
  public static final String TAG_METHOD = "method";

  /** Tag of {@link #DATA_QUALITY_ISSUES}: nan, inf, out_of_range or unknown_category. */
  public static final String TAG_ISSUE = "issue";

  /**
   * Gauge: a feature's drift against its version's reference, by method (docs/observability.md).
   */
  public static final String FEATURE_DRIFT_SCORE = "infera.feature.drift.score";

  /** Gauge: 1 while a feature's primary drift score is above its threshold, else 0. */
  public static final String FEATURE_DRIFT_DETECTED = "infera.feature.drift.detected";

  /** Counter: values with a data-quality issue, by feature and issue. */
  public static final String DATA_QUALITY_ISSUES = "infera.data.quality.issues";

  /** Counter: requests refused before reaching the model (shape, datatype, values). */
  public static final String DATA_QUALITY_REJECTED = "infera.data.quality.rejected";

  /** Counter: observations drift monitoring dropped because its queue was full. */
  public static final String MONITORING_DROPPED = "infera.monitoring.dropped";

  /** Counter, seconds: CPU time of the threads executing a version's batches. */
  public static final String MODEL_CPU = "infera.model.cpu";

  private MetricNames() {}

  /** Gauge: the instances of a version taking work now (changes with instance autoscaling). */
  public static final String MODEL_INSTANCES = "infera.model.instances";

  /** Counter: instances added ({@code direction="up"}) or removed ("down") by autoscaling. */
  public static final String INSTANCE_SCALING = "infera.instance.scaling";

  public static final String TAG_DIRECTION = "direction";

  /**
   * Histogram, seconds: one pipeline step, from its inputs being ready to its outputs, by {@code
   * step} (its 1-based index), {@code step_model} and {@code outcome}.
   */
  public static final String PIPELINE_STEP_DURATION = "infera.pipeline.step.duration";

  /**
   * Counter: pipeline steps' answers by who answered: {@code answered_by} is {@code model} (the
   * step's model), {@code fallback_model}, {@code fallback_value}, {@code skipped}, {@code
   * soft_failure}, {@code cascade_kept} (rows an earlier level answered) or {@code route:<model>}.
   */
  public static final String PIPELINE_ANSWERS = "infera.pipeline.answers";

  public static final String TAG_STEP = "step";
  public static final String TAG_STEP_MODEL = "step_model";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_ANSWERED_BY = "answered_by";
}
