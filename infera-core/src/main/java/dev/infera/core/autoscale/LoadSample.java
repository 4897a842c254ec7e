package dev.infera.core.autoscale;

/**
 * What one model's meters read at one moment; counts are cumulative since the model loaded.
 *
 * @param atNanos when, on the owner's ticker
 * @param requests requests answered (successfully or not)
 * @param executions batches executed
 * @param busySeconds time instances spent executing batches
 * @param instances execution slots of the model on this server (its capacity)
 */
public record LoadSample(
    long atNanos, double requests, double executions, double busySeconds, int instances) {}
