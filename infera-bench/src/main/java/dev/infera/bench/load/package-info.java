/**
 * Drives load and records what came back: closed-loop concurrency (each of N slots sends its next
 * request when the last one answers) and open-loop fixed rates (requests leave on a schedule,
 * latency counted from the scheduled time, so a slow server cannot hide its queueing), latency
 * distributions with exact percentiles, and errors by kind.
 *
 * <p>May depend on {@code dev.infera.bench.client}.
 */
package dev.infera.bench.load;
