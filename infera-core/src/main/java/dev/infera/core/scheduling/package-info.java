/**
 * Queueing and batching of a model version's requests: the {@link
 * dev.infera.core.scheduling.Scheduler} role and {@link
 * dev.infera.core.scheduling.DynamicBatchScheduler}, Triton's dynamic batcher, configured by a
 * {@link dev.infera.core.scheduling.BatchPolicy} and reporting to a {@link
 * dev.infera.core.scheduling.SchedulerListener}. Time comes from an injected {@link
 * dev.infera.core.scheduling.Ticker}.
 *
 * <p>Depends on infera-spi (tensors, instances, errors) and the tracing package (the spans of
 * traced requests' executions) only; never on configuration protos, metrics libraries, the engine
 * or a transport. Whoever owns a model version's lifecycle builds the policy from its configuration
 * and owns the scheduler's threads through {@code stop()}.
 */
package dev.infera.core.scheduling;
